// Real clients of the schema: ajv (JSON data) and the YAML language server (YAML text,
// as an editor sends it). Reads {schema, documents: [{name, data, text}]} as JSON on
// stdin; prints {name: {ajv: [errors], yls: [diagnostics]}} as JSON.
import Ajv2020 from "ajv/dist/2020.js";
import { spawn } from "child_process";
import { createRequire } from "module";
import fs from "fs";
import path from "path";

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const schema = JSON.parse(fs.readFileSync(input.schema, "utf8"));
// strict: false lets the editors' annotations (markdownDescription, patternErrorMessage) be.
const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
const report = {};
for (const doc of input.documents) {
  report[doc.name] = { ajv: validate(doc.data) ? [] : validate.errors.map(e => `${e.instancePath} ${e.message}`), yls: [] };
}

const require = createRequire(import.meta.url);
const server = path.join(path.dirname(require.resolve("yaml-language-server/package.json")), "bin", "yaml-language-server");
const srv = spawn(process.execPath, [server, "--stdio"]);
let buffer = Buffer.alloc(0);
let next = 0;
const pending = {};
const diagnostics = {};
const send = msg => {
  const body = JSON.stringify({ jsonrpc: "2.0", ...msg });
  srv.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
};
const request = (method, params) => new Promise(resolve => { pending[++next] = resolve; send({ id: next, method, params }); });
srv.stdout.on("data", chunk => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const head = buffer.indexOf("\r\n\r\n");
    if (head < 0) return;
    const length = parseInt(/Content-Length: (\d+)/i.exec(buffer.subarray(0, head).toString())[1], 10);
    if (buffer.length < head + 4 + length) return;
    const msg = JSON.parse(buffer.subarray(head + 4, head + 4 + length).toString());
    buffer = buffer.subarray(head + 4 + length);
    if (msg.id !== undefined && pending[msg.id] && !msg.method) { pending[msg.id](msg.result); delete pending[msg.id]; }
    else if (msg.method === "textDocument/publishDiagnostics") diagnostics[msg.params.uri] = msg.params.diagnostics;
    else if (msg.id !== undefined && msg.method) send({ id: msg.id, result: msg.method === "workspace/configuration" ? msg.params.items.map(() => ({})) : null });
  }
});
const uri = name => `file:///blueprint-client-checks/${encodeURIComponent(name)}`;
const schemaUri = "file://" + path.resolve(input.schema);
await request("initialize", { processId: null, rootUri: null, capabilities: {} });
send({ method: "initialized", params: {} });
send({ method: "workspace/didChangeConfiguration", params: { settings: { yaml: { validate: true, schemaStore: { enable: false } } } } });
for (const doc of input.documents) {
  const text = `# yaml-language-server: $schema=${schemaUri}\n${doc.text}`;
  send({ method: "textDocument/didOpen", params: { textDocument: { uri: uri(doc.name), languageId: "yaml", version: 1, text } } });
}
// Diagnostics arrive as the server validates: wait until every document has its answer.
const deadline = Date.now() + 60000;
while (Object.keys(diagnostics).length < input.documents.length && Date.now() < deadline) {
  await new Promise(resolve => setTimeout(resolve, 100));
}
for (const doc of input.documents) {
  const found = diagnostics[uri(doc.name)];
  report[doc.name].yls = found === undefined ? ["(no answer)"] : found.map(d => `${d.range.start.line}:${d.range.start.character} ${d.message}`);
}
srv.kill();
process.stdout.write(JSON.stringify(report));
