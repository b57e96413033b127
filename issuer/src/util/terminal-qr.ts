/**
 * @module util/terminal-qr
 * A QR code of an offer URI for the terminal (qrcode-terminal), for `e2eid issuer offer`.
 */
import qrcode from 'qrcode-terminal'

/** Renders `text` as a small terminal QR code (half-block characters). */
export function renderTerminalQr(text: string): Promise<string> {
  return new Promise((resolve) => qrcode.generate(text, { small: true }, (q) => resolve(q)))
}
