// Types for the parts of occt-import-js (emscripten build of OpenCascade) that we use.
declare module 'occt-import-js' {
  export interface OcctMesh {
    name: string
    color?: [number, number, number]
    attributes: {
      position: { array: number[] }
      normal?: { array: number[] }
    }
    index: { array: number[] }
  }
  export interface OcctNode {
    name: string
    meshes: number[]
    children: OcctNode[]
  }
  export interface OcctResult {
    success: boolean
    root?: OcctNode
    meshes?: OcctMesh[]
  }
  export interface OcctParams {
    linearUnit?: 'millimeter' | 'centimeter' | 'meter' | 'inch' | 'foot'
    linearDeflectionType?: 'bounding_box_ratio' | 'absolute_value'
    linearDeflection?: number
    angularDeflection?: number
  }
  export interface Occt {
    ReadStepFile(content: Uint8Array, params: OcctParams | null): OcctResult
    ReadIgesFile(content: Uint8Array, params: OcctParams | null): OcctResult
    ReadBrepFile(content: Uint8Array, params: OcctParams | null): OcctResult
  }
  export interface OcctModuleOptions {
    print?: (text: string) => void
    printErr?: (text: string) => void
    locateFile?: (path: string, prefix: string) => string
  }
  const occtimportjs: (options?: OcctModuleOptions) => Promise<Occt>
  export default occtimportjs
}
