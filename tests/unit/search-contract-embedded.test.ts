import { createEmbeddedIndex } from '../../search/embedded.ts'
import { runCapabilityIndexContract } from '../contract/search.contract.ts'

runCapabilityIndexContract('embedded', async () => createEmbeddedIndex())
