export { loader, action } from './api.v1.ops.funnel.ts'
