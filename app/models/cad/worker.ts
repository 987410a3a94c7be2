// Worker-thread side of analyseInThread (thread.ts): analyses one file per request and
// answers with the result (previews transferred, not copied) or the error's code and
// message. The thread is reused between requests, so OpenCascade's WebAssembly is
// compiled and warmed once per thread.
import { parentPort } from 'node:worker_threads'
import { analyseCadFile } from './analyse.ts'
import { CadError, type CadFormat, type CadOptions, type CadResult } from './types.ts'

export interface WorkerRequest {
  id: number
  path: string
  format: CadFormat
  options: CadOptions
}

export type WorkerReply =
  | { id: number; ok: true; result: CadResult }
  | { id: number; ok: false; code?: string; message: string }

const port = parentPort
if (!port) throw new Error('worker.ts runs only as a worker thread')

port.on('message', (request: WorkerRequest) => {
  void analyseCadFile(request.path, request.format, request.options).then(
    (result) => {
      const transfer: ArrayBuffer[] = [result.thumbnailPng.buffer as ArrayBuffer]
      if (result.previewStl) transfer.push(result.previewStl.buffer as ArrayBuffer)
      port.postMessage({ id: request.id, ok: true, result } satisfies WorkerReply, transfer)
    },
    (error: unknown) => {
      const reply: WorkerReply =
        error instanceof CadError
          ? { id: request.id, ok: false, code: error.code, message: error.message }
          : {
              id: request.id,
              ok: false,
              message: error instanceof Error ? (error.stack ?? error.message) : String(error),
            }
      port.postMessage(reply)
    },
  )
})
port.postMessage('ready')
