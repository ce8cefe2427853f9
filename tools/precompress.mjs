// Trunk post-build hook: writes `.br` and `.gz` beside every wasm, JS and CSS file of a
// release build, at the highest levels, so a server sends compressed bytes without spending
// CPU per request (the reference server's ServeDir, nginx `brotli_static`/`gzip_static`).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir || process.env.TRUNK_PROFILE !== 'release') process.exit(0);

const compressible = /\.(wasm|js|mjs|css)$/; // not HTML: deployers edit index.html after the build
function* files(folder) {
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (compressible.test(entry.name)) yield full;
  }
}

for (const file of files(dir)) {
  const bytes = fs.readFileSync(file);
  if (bytes.length < 1024) continue;
  fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(bytes, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }));
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(bytes, { level: 9 }));
}
