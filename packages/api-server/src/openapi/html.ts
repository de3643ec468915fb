/**
 * The HTML reference (/api/docs), rendered on the server from the OpenAPI document: one
 * self-contained page with inline CSS, no scripts and no external assets (the platform often runs
 * offline), grouped by tag. Schemas are shown as the document's JSON, `$ref`s as links to the
 * schema section at the bottom.
 */
import type { OpenApiDocument, OperationObject, ParameterObject, ResponseObject } from './document.ts';
import type { JsonSchema } from './schema-conversion.ts';

/** Component schemas larger than this start collapsed (the AG-UI event union is tens of kilobytes). */
const OPEN_SCHEMA_LIMIT = 3_000;

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d232b;background:#fafbfc}
header,main,nav{max-width:1100px;margin:0 auto;padding:0 24px}
header{padding-top:24px}h1 small{font-weight:normal;color:#5b6470;font-size:.6em}
nav{columns:2 320px;font-size:13px;padding-bottom:12px}nav h4{margin:12px 0 4px;break-after:avoid}
nav ul{list-style:none;margin:0;padding:0}nav a{text-decoration:none;color:inherit}
section>h2{border-bottom:2px solid #d8dee4;padding-bottom:4px;margin-top:40px;text-transform:capitalize}
article{background:#fff;border:1px solid #d8dee4;border-radius:6px;padding:12px 18px;margin:16px 0}
article h3{margin:4px 0;font-size:16px;word-break:break-all}
.method{display:inline-block;min-width:58px;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:2px 6px;margin-right:8px;text-transform:uppercase}
.get{background:#1f6feb}.post{background:#1a7f37}.put{background:#9a6700}.patch{background:#8250df}.delete{background:#cf222e}
.facts{color:#5b6470;font-size:13px}.facts b{color:#1d232b}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}td,th{border-top:1px solid #eaeef2;padding:4px 8px;text-align:left;vertical-align:top}
pre{background:#f4f6f8;border-radius:4px;padding:8px 10px;overflow:auto;font-size:12px;max-height:480px;margin:4px 0}
code{font-size:12.5px}details>summary{cursor:pointer;font-weight:600}h4{margin:14px 0 4px}
.status{font-weight:600;white-space:nowrap}.ws{background:#57606a}
`;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The little markdown the descriptions use: paragraphs and `code`. */
function prose(text: string | undefined): string {
  if (!text) return '';
  return text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
    .join('');
}

function schemaAnchor(name: string): string {
  return `schema-${name}`;
}

/** Pretty JSON with every component reference turned into a link. */
function schemaBlock(schema: JsonSchema | undefined): string {
  if (!schema) return '';
  const escaped = escapeHtml(JSON.stringify(schema, null, 2));
  return `<pre>${escaped.replace(
    /&quot;#\/components\/schemas\/([A-Za-z0-9_.-]+)&quot;/g,
    (_match, name: string) => `&quot;<a href="#${schemaAnchor(name)}">#/components/schemas/${name}</a>&quot;`,
  )}</pre>`;
}

function parametersTable(parameters: readonly ParameterObject[]): string {
  if (parameters.length === 0) return '';
  const rows = parameters
    .map(
      (parameter) =>
        `<tr><td><code>${escapeHtml(parameter.name)}</code></td><td>${parameter.in}</td><td>${parameter.required ? 'required' : 'optional'}</td>` +
        `<td><code>${escapeHtml(JSON.stringify(parameter.schema))}</code></td><td>${escapeHtml(parameter.description ?? '')}</td></tr>`,
    )
    .join('');
  return `<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th></th><th>Schema</th><th>Description</th></tr>${rows}</table>`;
}

function contentBlocks(content: ResponseObject['content']): string {
  return Object.entries(content ?? {})
    .map(([type, media]) => `<div><code>${escapeHtml(type)}</code>${schemaBlock(media.schema)}</div>`)
    .join('');
}

function operationArticle(path: string, method: string, operation: OperationObject): string {
  const methodClass = operation['x-websocket'] ? 'ws' : method;
  const methodLabel = operation['x-websocket'] ? 'ws' : method;
  const body = operation.requestBody
    ? `<h4>Request body</h4>${prose(operation.requestBody.description)}${contentBlocks(operation.requestBody.content)}`
    : '';
  const clientMessages = operation['x-websocket-client-messages']
    ? `<h4>Client messages</h4>${schemaBlock(operation['x-websocket-client-messages'])}`
    : '';
  const responses = Object.entries(operation.responses)
    .map(([status, response]) => `<tr><td class="status">${status}</td><td>${prose(response.description)}${contentBlocks(response.content)}</td></tr>`)
    .join('');
  return (
    `<article id="op-${escapeHtml(operation.operationId)}">` +
    `<h3><span class="method ${methodClass}">${methodLabel}</span><code>${escapeHtml(path)}</code></h3>` +
    `<div><b>${escapeHtml(operation.summary)}</b></div>` +
    `<div class="facts">operationId <code>${escapeHtml(operation.operationId)}</code></div>` +
    prose(operation.description) +
    parametersTable(operation.parameters) +
    body +
    clientMessages +
    `<h4>Responses</h4><table>${responses}</table></article>`
  );
}

interface Entry {
  path: string;
  method: string;
  operation: OperationObject;
}

export function renderReferencePage(document: OpenApiDocument): string {
  const byTag = new Map<string, Entry[]>(document.tags.map((tag) => [tag.name, []]));
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const tag = operation.tags[0] ?? 'other';
      const entries = byTag.get(tag) ?? [];
      entries.push({ path, method, operation });
      byTag.set(tag, entries);
    }
  }
  const tagDescription = new Map(document.tags.map((tag) => [tag.name, tag.description]));
  const groups = [...byTag].filter(([, entries]) => entries.length > 0);
  const navigation = groups
    .map(
      ([tag, entries]) =>
        `<h4>${escapeHtml(tag)}</h4><ul>${entries
          .map((entry) => `<li><a href="#op-${escapeHtml(entry.operation.operationId)}"><b>${entry.operation['x-websocket'] ? 'WS' : entry.method.toUpperCase()}</b> ${escapeHtml(entry.path)}</a></li>`)
          .join('')}</ul>`,
    )
    .join('');
  const sections = groups
    .map(
      ([tag, entries]) =>
        `<section id="tag-${escapeHtml(tag)}"><h2>${escapeHtml(tag)}</h2>${prose(tagDescription.get(tag))}` +
        entries.map((entry) => operationArticle(entry.path, entry.method, entry.operation)).join('') +
        '</section>',
    )
    .join('');
  const schemas = Object.entries(document.components.schemas)
    .map(([name, schema]) => {
      const json = schemaBlock(schema);
      const open = json.length <= OPEN_SCHEMA_LIMIT ? ' open' : '';
      return `<details id="${schemaAnchor(name)}"${open}><summary>${escapeHtml(name)}</summary>${json}</details>`;
    })
    .join('');
  const title = escapeHtml(document.info.title);
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${title}</title><style>${STYLE}</style></head><body>` +
    `<header><h1>${title} <small>${escapeHtml(document.info.version)} · OpenAPI ${escapeHtml(document.openapi)}</small></h1>` +
    `<p>Machine-readable: <a href="openapi.json">openapi.json</a></p>${prose(document.info.description)}</header>` +
    `<nav>${navigation}</nav><main>${sections}<section id="schemas"><h2>Schemas</h2>${schemas}</section></main></body></html>`
  );
}
