import { expect, test } from 'vitest'
import { sniffCadFormat } from '../../../app/models/cad/index.ts'
import { asciiStl, binaryStl, box, dxf, circle, obj, threeMfOf } from './models.ts'

function sniff(data: string | Uint8Array, size?: number) {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
  return sniffCadFormat(bytes.subarray(0, 512), size ?? bytes.length)
}

test('the format comes from the content, whatever the name', () => {
  expect(sniff(asciiStl(box(1, 1, 1)))).toBe('stl')
  expect(sniff(asciiStl(box(1, 1, 1), { crlf: true, upper: true }))).toBe('stl')
  expect(sniff('\uFEFF  solid x\r\n facet normal 0 0 1\r\n')).toBe('stl')
  expect(sniff(binaryStl(box(1, 1, 1)))).toBe('stl')
  expect(sniff(obj(box(1, 1, 1)))).toBe('obj')
  expect(sniff(threeMfOf(box(1, 1, 1)))).toBe('3mf')
  expect(sniff('ISO-10303-21;\nHEADER;\n')).toBe('step')
  expect(sniff(dxf([circle(0, 0, 1)]))).toBe('dxf')
  expect(sniff('0\r\nSECTION\r\n2\r\nHEADER\r\n')).toBe('dxf')
})

test('binary vs ASCII STL is decided by size, not by the "solid" prefix', () => {
  const binary = binaryStl(box(1, 1, 1), 'solid looks like ASCII')
  expect(new TextDecoder().decode(binary.subarray(0, 5))).toBe('solid')
  expect(sniff(binary)).toBe('stl')
  // The same head with a size that is not 84 + 50·n and binary bytes after the header:
  // a cut-short binary STL, still STL (analysis says "truncated").
  expect(sniff(binary, binary.length - 10)).toBe('stl')
})

test('OBJ needs OBJ statements; other text does not pass', () => {
  expect(sniff('# Blender\nmtllib a.mtl\no Cube\nv 1 1 1\nv 1 -1 1\n')).toBe('obj')
  expect(sniff('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n')).toBe('obj')
  expect(sniff('# comment only\n')).toBeUndefined()
  expect(sniff('vertex 1 2 3\n')).toBeUndefined()
  expect(sniff('#!/bin/sh\necho hi\n')).toBeUndefined()
  expect(sniff('<svg xmlns="http://www.w3.org/2000/svg"/>')).toBeUndefined()
  expect(sniff('')).toBeUndefined()
})

test('images, PDFs and archives of other kinds are not CAD files', () => {
  const gif = new TextEncoder().encode('GIF89a' + '\0'.repeat(600))
  expect(sniff(gif)).toBeUndefined()
  expect(sniff(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, ...new Uint8Array(600)))).toBeUndefined()
  expect(sniff(Uint8Array.of(0x1f, 0x8b, 8, 0, ...new Uint8Array(600)))).toBeUndefined()
  expect(sniff(Uint8Array.of(0x50, 0x4b, 0x05, 0x06, ...new Uint8Array(18)))).toBeUndefined()
})
