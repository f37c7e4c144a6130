import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';

/** Renders one page of a PDF to an image with poppler (pdftoppm) and counts its non-white pixels. */
export function renderPdfPage(pdf: Buffer, page = 1): { width: number; height: number; inkPixels: number; png: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'hallwatch-pdf-'));
  writeFileSync(join(dir, 'report.pdf'), pdf);
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '60',
    '-f',
    String(page),
    '-l',
    String(page),
    '-singlefile',
    join(dir, 'report.pdf'),
    join(dir, 'page'),
  ]);
  const png = readFileSync(join(dir, 'page.png'));
  const image = PNG.sync.read(png);
  let inkPixels = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    if (image.data[i] < 200 || image.data[i + 1] < 200 || image.data[i + 2] < 200) inkPixels += 1;
  }
  return { width: image.width, height: image.height, inkPixels, png };
}

/** The fonts a PDF embeds, as pdffonts lists them. */
export function pdfFonts(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'hallwatch-pdf-'));
  writeFileSync(join(dir, 'report.pdf'), pdf);
  return execFileSync('pdffonts', [join(dir, 'report.pdf')]).toString();
}

/** The text of a PDF, as pdftotext extracts it. */
export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'hallwatch-pdf-'));
  writeFileSync(join(dir, 'report.pdf'), pdf);
  return execFileSync('pdftotext', ['-layout', join(dir, 'report.pdf'), '-']).toString();
}
