// The three.js half of <CadViewer>. Only ever reached through `import()` inside an effect, so
// three.js lands in its own browser chunk and never in the server bundle (Remix strips
// `.client` modules from it).
import {
  Box3,
  Box3Helper,
  BufferAttribute,
  Color,
  DirectionalLight,
  DoubleSide,
  GridHelper,
  HemisphereLight,
  Mesh,
  MeshStandardMaterial,
  PerspectiveCamera,
  Scene,
  Sphere,
  Vector3,
  WebGLRenderer,
  type BufferGeometry,
} from 'three'
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js'
import { STLLoader } from 'three/examples/jsm/loaders/STLLoader.js'

export interface CadScene {
  /** Puts the camera back where it started, fitted to the current aspect ratio. */
  resetView(): void
  /** Frees every GPU resource, listener and observer; the canvas is removed. */
  dispose(): void
}

const VERTICAL_FOV_DEG = 40
// Front-right-top, so the front (−y) and right (+x) faces whose edges carry the labels face the viewer.
const VIEW_DIRECTION = new Vector3(1, -1.35, 0.9).normalize()

/** The smallest 1, 2 or 5 × 10ⁿ that is ≥ x (grid spacing that reads well in mm). */
export function niceStep(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1
  const magnitude = 10 ** Math.floor(Math.log10(x))
  for (const m of [1, 2, 5, 10]) {
    // The epsilon keeps 20 from becoming 50 through floating-point noise.
    if (m * magnitude >= x * (1 - 1e-9)) return m * magnitude
  }
  return 10 * magnitude
}

/** Camera distance at which a sphere of `radius` fits both the vertical and horizontal field
 * of view, with a small margin. */
export function fitDistance(radius: number, verticalFovDeg: number, aspect: number): number {
  const halfV = (verticalFovDeg * Math.PI) / 360
  const halfH = Math.atan(Math.tan(halfV) * (aspect > 0 ? aspect : 1))
  return (radius / Math.sin(Math.min(halfV, halfH))) * 1.08
}

/** False when any normal is missing or zero-length, as many STL exporters write (0, 0, 0). */
export function hasUsableNormals(normals: ArrayLike<number> | undefined, count: number): boolean {
  if (!normals || normals.length < count * 3) return false
  for (let i = 0; i < count * 3; i += 3) {
    const x = normals[i] ?? 0
    const y = normals[i + 1] ?? 0
    const z = normals[i + 2] ?? 0
    if (x * x + y * y + z * z < 0.25) return false
  }
  return true
}

/** Face normals for a non-indexed triangle list (what STLLoader returns). A plain loop: on
 * 500k triangles BufferGeometry.computeVertexNormals takes several times longer. */
export function computeFlatNormals(positions: ArrayLike<number>): Float32Array {
  const normals = new Float32Array(positions.length)
  for (let i = 0; i + 8 < positions.length; i += 9) {
    const ax = positions[i] ?? 0
    const ay = positions[i + 1] ?? 0
    const az = positions[i + 2] ?? 0
    const ux = (positions[i + 3] ?? 0) - ax
    const uy = (positions[i + 4] ?? 0) - ay
    const uz = (positions[i + 5] ?? 0) - az
    const vx = (positions[i + 6] ?? 0) - ax
    const vy = (positions[i + 7] ?? 0) - ay
    const vz = (positions[i + 8] ?? 0) - az
    let nx = uy * vz - uz * vy
    let ny = uz * vx - ux * vz
    let nz = ux * vy - uy * vx
    const length = Math.hypot(nx, ny, nz)
    if (length > 0) {
      nx /= length
      ny /= length
      nz /= length
    }
    for (let k = 0; k < 9; k += 3) {
      normals[i + k] = nx
      normals[i + k + 1] = ny
      normals[i + k + 2] = nz
    }
  }
  return normals
}

/** Parses a binary or ASCII STL into a geometry centred on the origin, with normals and
 * bounds computed; throws on anything that is not an STL with triangles. */
export function parseStl(data: ArrayBuffer): BufferGeometry {
  const geometry = new STLLoader().parse(data)
  const position = geometry.getAttribute('position')
  if (!position || position.count < 3 || !(position.array instanceof Float32Array)) {
    geometry.dispose()
    throw new Error('STL has no triangles')
  }
  // Colours from "Magics" STLs are ignored: the preview uses one neutral material.
  geometry.deleteAttribute('color')
  const positions = position.array
  const normal = geometry.getAttribute('normal')
  if (!hasUsableNormals(normal?.array, position.count)) {
    geometry.setAttribute('normal', new BufferAttribute(computeFlatNormals(positions), 3))
  }
  // Centre with a plain loop: geometry.center() also pushes every normal through a matrix.
  geometry.computeBoundingBox()
  const center = (geometry.boundingBox ?? new Box3()).getCenter(new Vector3())
  for (let i = 0; i < positions.length; i += 3) {
    positions[i] = (positions[i] ?? 0) - center.x
    positions[i + 1] = (positions[i + 1] ?? 0) - center.y
    positions[i + 2] = (positions[i + 2] ?? 0) - center.z
  }
  geometry.boundingBox?.translate(center.negate())
  geometry.computeBoundingSphere()
  if (!Number.isFinite(geometry.boundingSphere?.radius)) {
    geometry.dispose()
    throw new Error('STL has non-finite coordinates')
  }
  return geometry
}

export function mountCadScene(options: {
  /** Element the canvas fills; its size drives the renderer. */
  host: HTMLElement
  canvas: HTMLCanvasElement
  gl: WebGL2RenderingContext
  /** Centred geometry from parseStl; owned (and disposed) by the scene from now on. */
  geometry: BufferGeometry
  /** Label elements for the x, y and z extents, absolutely positioned inside `host`. */
  labels: readonly [HTMLElement | null, HTMLElement | null, HTMLElement | null]
  onFirstRender?: () => void
}): CadScene {
  const { host, canvas, gl, geometry, labels } = options
  if (!geometry.boundingBox) geometry.computeBoundingBox()
  if (!geometry.boundingSphere) geometry.computeBoundingSphere()
  const box = geometry.boundingBox ?? new Box3()
  const size = box.getSize(new Vector3())
  const sphere = geometry.boundingSphere ?? new Sphere()
  const radius = Math.max(sphere.radius, 1e-3)
  const maxDim = Math.max(size.x, size.y, size.z, 1e-3)

  canvas.style.display = 'block'
  canvas.style.width = '100%'
  canvas.style.height = '100%'
  canvas.style.touchAction = 'none'
  host.appendChild(canvas)

  const renderer = new WebGLRenderer({ canvas, context: gl, antialias: true })
  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2))

  const scene = new Scene()
  scene.background = new Color(0xf3f5f8)

  // CAD parts are modelled Z-up.
  const camera = new PerspectiveCamera(VERTICAL_FOV_DEG, 1, radius * 0.005, radius * 200)
  camera.up.set(0, 0, 1)
  scene.add(camera)

  const hemisphere = new HemisphereLight(0xffffff, 0x8a94a3, 1.6)
  hemisphere.position.set(0, 0, 1)
  scene.add(hemisphere)
  // Riding on the camera keeps the face the user looks at lit whichever way they orbit.
  const key = new DirectionalLight(0xffffff, 1.8)
  key.position.set(1, 2, 3)
  camera.add(key)
  camera.add(key.target)

  const material = new MeshStandardMaterial({
    color: 0x8797ab,
    metalness: 0.25,
    roughness: 0.55,
    side: DoubleSide,
  })
  const mesh = new Mesh(geometry, material)
  scene.add(mesh)

  const boxHelper = new Box3Helper(box, 0x0b5c4d)
  scene.add(boxHelper)

  const step = niceStep(Math.max(size.x, size.y, maxDim / 4) / 5)
  const divisions = Math.max(2, 2 * Math.ceil(Math.max(size.x, size.y) / step))
  const grid = new GridHelper(divisions * step, divisions, 0xb4bfcc, 0xd5dce4)
  grid.rotation.x = Math.PI / 2
  // Just below the part, so its bottom face does not fight the grid lines.
  grid.position.z = box.min.z - maxDim * 0.002
  scene.add(grid)

  const gap = maxDim * 0.04
  const anchors = [
    new Vector3(0, box.min.y - gap, box.min.z), // x: front bottom edge
    new Vector3(box.max.x + gap, 0, box.min.z), // y: right bottom edge
    // z on the front left edge: on the right it crowds the y label for flat parts.
    new Vector3(box.min.x - gap, box.min.y, 0), // z: front left vertical edge
  ]

  const controls = new OrbitControls(camera, canvas)
  controls.enableDamping = true
  controls.dampingFactor = 0.12
  controls.zoomToCursor = true
  controls.minDistance = radius * 0.05
  controls.maxDistance = radius * 40

  let width = 1
  let height = 1
  let frame = 0
  let firstRender = true
  const projected = new Vector3()

  function placeLabels() {
    anchors.forEach((anchor, i) => {
      const el = labels[i]
      if (!el) return
      projected.copy(anchor).project(camera)
      const visible =
        projected.z < 1 && Math.abs(projected.x) <= 1.2 && Math.abs(projected.y) <= 1.2
      const x = ((projected.x + 1) / 2) * width
      const y = ((1 - projected.y) / 2) * height
      el.style.transform = `translate(${x.toFixed(1)}px, ${y.toFixed(1)}px) translate(-50%, -50%)`
      el.style.visibility = visible ? 'visible' : 'hidden'
    })
  }

  function render() {
    frame = 0
    // With damping, update() keeps emitting `change` (and so requesting frames) until the
    // motion settles; then rendering stops.
    controls.update()
    renderer.render(scene, camera)
    placeLabels()
    if (firstRender) {
      firstRender = false
      options.onFirstRender?.()
    }
  }

  function requestRender() {
    if (frame === 0) frame = requestAnimationFrame(render)
  }

  function fitCamera() {
    camera.aspect = width / height
    const distance = fitDistance(radius, VERTICAL_FOV_DEG, camera.aspect)
    // Fixed to the part, not the distance, so zooming in to minDistance never clips it.
    camera.near = radius * 0.005
    camera.far = Math.max(distance, controls.maxDistance) * 4
    camera.zoom = 1
    camera.position.copy(VIEW_DIRECTION).multiplyScalar(distance)
    camera.updateProjectionMatrix()
    controls.target.set(0, 0, 0)
  }

  function resize() {
    width = Math.max(1, host.clientWidth)
    height = Math.max(1, host.clientHeight)
    renderer.setSize(width, height, false)
    camera.aspect = width / height
    camera.updateProjectionMatrix()
    requestRender()
  }

  resize()
  fitCamera()
  controls.update()
  controls.addEventListener('change', requestRender)

  const observer = new ResizeObserver(resize)
  observer.observe(host)
  canvas.addEventListener('webglcontextrestored', requestRender)
  requestRender()

  return {
    resetView() {
      // Apply and drop any momentum left from damping first, or it would carry on after reset.
      controls.enableDamping = false
      controls.update()
      fitCamera()
      controls.update()
      controls.enableDamping = true
      requestRender()
    },
    dispose() {
      if (frame !== 0) cancelAnimationFrame(frame)
      frame = 0
      observer.disconnect()
      canvas.removeEventListener('webglcontextrestored', requestRender)
      controls.removeEventListener('change', requestRender)
      controls.dispose()
      geometry.dispose()
      material.dispose()
      boxHelper.dispose()
      grid.dispose()
      key.dispose()
      hemisphere.dispose()
      renderer.dispose()
      // Free the context now rather than at garbage collection (browsers cap live contexts).
      // three.js stopped listening in dispose(), so the loss logs nothing.
      if (!gl.isContextLost()) gl.getExtension('WEBGL_lose_context')?.loseContext()
      canvas.remove()
      // The label elements outlive the scene when the URL changes; hide them until the next one.
      for (const el of labels) if (el) el.style.visibility = 'hidden'
    },
  }
}
