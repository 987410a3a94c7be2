import { useEffect, useRef, useState, type CSSProperties } from 'react'
import type { CadScene } from './cad-viewer.client.ts'

export interface CadViewerProps {
  /** URL of a binary (or ASCII) STL in mm, e.g. /cad/<id>/preview.stl — same-origin, cookies sent. */
  url: string
  /** Bounding-box extents in mm (x, y, z) from the server's analysis, shown as dimension labels. */
  bboxMm: [number, number, number]
  labels: {
    loading: string
    failed: string
    noWebgl: string
    /** e.g. "drag to orbit, scroll to zoom" */
    hint: string
    /** the reset-view button */
    reset: string
  }
  /** CSS height in px, default 420. */
  height?: number
}

export type CadViewerState = 'loading' | 'ready' | 'failed' | 'no-webgl'

/** A length without locale grouping, at most two decimals ("120.5"), so server and browser
 * render the same text. */
export function formatLength(mm: number): string {
  if (!Number.isFinite(mm)) return '?'
  const rounded = Math.round(mm * 100) / 100
  return String(rounded === 0 ? 0 : rounded)
}

/** "120.5 mm" */
export function formatMm(mm: number): string {
  return `${formatLength(mm)} mm`
}

/** "120 × 80 × 25 mm" */
export function formatDimensions(bboxMm: readonly [number, number, number]): string {
  return `${bboxMm.map(formatLength).join(' × ')} mm`
}

/** A WebGL 2 context (what three.js r163+ needs) or null. Asking before three.js does keeps
 * it from logging an error in browsers without one. */
function createContext(canvas: HTMLCanvasElement): WebGL2RenderingContext | null {
  try {
    return canvas.getContext('webgl2', {
      alpha: false,
      antialias: true,
      depth: true,
      stencil: false,
      preserveDrawingBuffer: false,
    })
  } catch {
    return null
  }
}

function releaseContext(gl: WebGL2RenderingContext) {
  // Losing a context twice makes the browser warn.
  if (!gl.isContextLost()) gl.getExtension('WEBGL_lose_context')?.loseContext()
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0))
}

async function fetchStl(url: string, signal: AbortSignal): Promise<ArrayBuffer> {
  const response = await fetch(url, { credentials: 'same-origin', signal })
  if (!response.ok) throw new Error(`STL request failed: ${response.status}`)
  return response.arrayBuffer()
}

// app.css has no rules for the viewer yet; these keep it self-contained.
const frameStyle: CSSProperties = {
  position: 'relative',
  overflow: 'hidden',
  border: '1px solid var(--line, #dde3ea)',
  borderRadius: 10,
  background: '#f3f5f8',
}
const fillStyle: CSSProperties = { position: 'absolute', inset: 0 }
const overlayStyle: CSSProperties = {
  ...fillStyle,
  display: 'flex',
  flexDirection: 'column',
  alignItems: 'center',
  justifyContent: 'center',
  gap: '0.5rem',
  padding: '1rem',
  textAlign: 'center',
  pointerEvents: 'none',
}
const statusStyle: CSSProperties = { margin: 0, color: 'var(--muted, #5f6b7a)' }
const failedStyle: CSSProperties = { margin: 0, color: 'var(--danger, #b42318)' }
const dimensionsStyle: CSSProperties = {
  margin: 0,
  fontSize: '1.25rem',
  fontWeight: 600,
  fontVariantNumeric: 'tabular-nums',
}
const labelStyle: CSSProperties = {
  position: 'absolute',
  left: 0,
  top: 0,
  visibility: 'hidden',
  pointerEvents: 'none',
  whiteSpace: 'nowrap',
  padding: '0.05rem 0.4rem',
  borderRadius: 4,
  background: 'rgba(255, 255, 255, 0.88)',
  border: '1px solid var(--line, #dde3ea)',
  color: 'var(--brand, #0b5c4d)',
  fontSize: '0.8rem',
  fontWeight: 600,
  fontVariantNumeric: 'tabular-nums',
}
const toolbarStyle: CSSProperties = {
  position: 'absolute',
  left: '0.75rem',
  right: '0.75rem',
  bottom: '0.6rem',
  display: 'flex',
  gap: '0.75rem',
  alignItems: 'center',
  justifyContent: 'space-between',
  pointerEvents: 'none',
}

/**
 * 3D preview of a CAD part's STL. The server and the first client render show a placeholder
 * with the dimensions; three.js is loaded in an effect, in its own chunk.
 */
export function CadViewer({ url, bboxMm, labels, height = 420 }: CadViewerProps) {
  const [state, setState] = useState<CadViewerState>('loading')
  const canvasHostRef = useRef<HTMLDivElement>(null)
  const xLabelRef = useRef<HTMLSpanElement>(null)
  const yLabelRef = useRef<HTMLSpanElement>(null)
  const zLabelRef = useRef<HTMLSpanElement>(null)
  const sceneRef = useRef<CadScene | null>(null)

  useEffect(() => {
    const host = canvasHostRef.current
    if (!host) return
    const canvas = document.createElement('canvas')
    const gl = createContext(canvas)
    if (!gl) {
      setState('no-webgl')
      return
    }
    setState('loading')
    let cancelled = false
    let scene: CadScene | null = null
    const controller = new AbortController()

    void (async () => {
      try {
        const [viewer, data] = await Promise.all([
          import('./cad-viewer.client.ts'),
          fetchStl(url, controller.signal),
        ])
        if (cancelled) return
        // Parsing and the first upload to the GPU are synchronous; letting the browser paint
        // and handle input between them keeps large meshes from freezing the page in one go.
        const geometry = viewer.parseStl(data)
        await nextTask()
        if (cancelled) {
          geometry.dispose()
          return
        }
        scene = viewer.mountCadScene({
          host,
          canvas,
          gl,
          geometry,
          labels: [xLabelRef.current, yLabelRef.current, zLabelRef.current],
          onFirstRender: () => {
            if (!cancelled) setState('ready')
          },
        })
        sceneRef.current = scene
      } catch {
        if (cancelled) return
        canvas.remove()
        releaseContext(gl)
        setState('failed')
      }
    })()

    return () => {
      cancelled = true
      controller.abort()
      if (scene) {
        if (sceneRef.current === scene) sceneRef.current = null
        scene.dispose()
      } else {
        canvas.remove()
        releaseContext(gl)
      }
    }
  }, [url])

  const dimensions = formatDimensions(bboxMm)
  const message =
    state === 'failed' ? labels.failed : state === 'no-webgl' ? labels.noWebgl : labels.loading

  return (
    <div
      className="cad-viewer"
      data-testid="cad-viewer"
      data-state={state}
      style={{ ...frameStyle, height }}
    >
      <div role="img" aria-label={dimensions} style={fillStyle}>
        <div ref={canvasHostRef} style={fillStyle} />
        <span ref={xLabelRef} aria-hidden="true" style={labelStyle}>
          {formatMm(bboxMm[0])}
        </span>
        <span ref={yLabelRef} aria-hidden="true" style={labelStyle}>
          {formatMm(bboxMm[1])}
        </span>
        <span ref={zLabelRef} aria-hidden="true" style={labelStyle}>
          {formatMm(bboxMm[2])}
        </span>
      </div>
      {/* Stays mounted (only hidden) so the status live region announces changes. */}
      <div style={state === 'ready' ? { display: 'none' } : overlayStyle}>
        <p role="status" style={state === 'failed' ? failedStyle : statusStyle}>
          {message}
        </p>
        <p aria-hidden="true" style={dimensionsStyle}>
          {dimensions}
        </p>
      </div>
      {state === 'ready' ? (
        <div style={toolbarStyle}>
          <p className="hint">{labels.hint}</p>
          <button
            type="button"
            className="secondary"
            style={{ pointerEvents: 'auto' }}
            onClick={() => sceneRef.current?.resetView()}
          >
            {labels.reset}
          </button>
        </div>
      ) : null}
    </div>
  )
}
