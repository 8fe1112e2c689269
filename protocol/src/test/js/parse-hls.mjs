// Reads one HLS playlist on stdin, parses it with videojs' m3u8-parser and prints the parsed
// manifest as JSON on stdout. Parser warnings are collected and printed too, so a test can assert
// that a third-party parser accepted our output without complaint.
import { Parser } from 'm3u8-parser';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString('utf8');

const warnings = [];
const parser = new Parser();
parser.on('warn', (w) => warnings.push(w.message));
parser.on('info', () => {});
parser.push(text);
parser.end();
process.stdout.write(JSON.stringify({ manifest: parser.manifest, warnings }));
