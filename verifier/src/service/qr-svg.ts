/**
 * @module service/qr-svg
 * The request page's QR code, rendered on the server as an inline SVG (no script, no image fetch: the page's CSP
 * stays `default-src 'none'`). One path of 1×1 squares, a 4-module quiet zone (ISO/IEC 18004 §6.3.8).
 */
import QRCode from 'qrcode'

/** An SVG QR code of `text`, or undefined when the text does not fit in a QR code (version 40, level L). */
export function qrSvg(text: string, title: string): string | undefined {
  let modules
  try {
    modules = QRCode.create(text, { errorCorrectionLevel: 'L' }).modules
  } catch {
    return undefined // too long for any version
  }
  const n = modules.size
  const q = 4
  let d = ''
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (modules.get(r, c)) d += `M${c + q} ${r + q}h1v1h-1z`
  }
  const size = n + 2 * q
  // The title is the caller's plain text; escape it for XML.
  const t = title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges" role="img" aria-label="${t.replace(/"/g, '&quot;')}"><title>${t}</title><rect width="${size}" height="${size}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`
}
