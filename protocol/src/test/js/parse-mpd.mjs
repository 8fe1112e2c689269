// Reads one DASH MPD on stdin, parses it with videojs' mpd-parser and prints the parsed manifest as
// JSON on stdout. The manifest URI is the first argument (relative segment URLs resolve against it).
import { parse } from 'mpd-parser';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString('utf8');
const manifestUri = process.argv[2] || 'https://origin.example/v/token/title/manifest.mpd';
try {
  const manifest = parse(text, { manifestUri });
  process.stdout.write(JSON.stringify({ manifest }));
} catch (e) {
  process.stdout.write(JSON.stringify({ error: String(e && e.message || e) }));
  process.exitCode = 3;
}
