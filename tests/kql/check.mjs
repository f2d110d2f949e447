// Every KQL query a user is handed binds against the KubeFimEvents_CL table that deploy/azure makes
// (issue 15): the seed's queries (Defender for Cloud's, the table name changed), every ```kql or
// ```kusto block of the docs, and the chart's NOTES. Parsed and bound offline by Kusto's own
// language service (@kusto/language-service-next); any error diagnostic fails, with its code.
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
require('@kusto/language-service-next/bridge');
require('@kusto/language-service-next/Kusto.Language.Bridge');
const K = globalThis.Kusto.Language;
const S = K.Symbols;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const template = JSON.parse(readFileSync(join(root, 'deploy/azure/kubefim-azure.json'), 'utf8'));
const tableName = template.variables.tableName;
const table = template.resources.find((r) => r.type.endsWith('/tables'));
const types = { string: S.ScalarTypes.String, dateTime: S.ScalarTypes.DateTime, datetime: S.ScalarTypes.DateTime,
  long: S.ScalarTypes.Long, int: S.ScalarTypes.Int, boolean: S.ScalarTypes.Bool, dynamic: S.ScalarTypes.Dynamic,
  real: S.ScalarTypes.Real, guid: S.ScalarTypes.Guid };
const columns = table.properties.schema.columns.map((c) => {
  if (!types[c.type]) throw new Error(`column ${c.name}: type ${c.type} not known to this check`);
  return new S.ColumnSymbol(c.name, types[c.type]);
});
const globals = K.GlobalState.Default.WithDatabase(
  new S.DatabaseSymbol.ctor('workspace', [new S.TableSymbol.$ctor4(tableName, columns)]));

// The seed's queries, as Defender for Cloud writes them for MDCFileIntegrityMonitoringEvents.
const SEED = [
  "MDCFileIntegrityMonitoringEvents | where TimeGenerated > ago(14d) | where MonitoredEntityType in ('Registry','File') | summarize count() by Computer, MonitoredEntityType",
  "MDCFileIntegrityMonitoringEvents | where TimeGenerated > ago(14d) | where MonitoredEntityType == 'File' | order by Computer, FilePath",
  "MDCFileIntegrityMonitoringEvents | where TimeGenerated > ago(14d) | where MonitoredEntityType == 'Registry' | order by Computer, RegistryKey",
];

const queries = SEED.map((q, i) => ({ where: `seed query ${i + 1}`, text: q.replace('MDCFileIntegrityMonitoringEvents', tableName) }));
for (const dir of ['docs', '.']) {
  for (const f of readdirSync(join(root, dir)).filter((n) => n.endsWith('.md'))) {
    const text = readFileSync(join(root, dir, f), 'utf8');
    const re = /```(?:kql|kusto)\n([\s\S]*?)```/g;
    let m;
    while ((m = re.exec(text))) {
      const line = text.slice(0, m.index).split('\n').length;
      queries.push({ where: `${join(dir, f)}:${line}`, text: m[1] });
    }
  }
}
for (const line of readFileSync(join(root, 'charts/kubefim/templates/NOTES.txt'), 'utf8').split('\n')) {
  if (line.trim().startsWith(tableName)) queries.push({ where: 'charts NOTES.txt', text: line.trim() });
}

let passed = 0;
let failed = 0;
for (const q of queries) {
  const code = K.KustoCode.ParseAndAnalyze(q.text, globals);
  const errors = globalThis.Bridge.toArray(code.GetDiagnostics()).filter((d) => d.Severity === 'Error');
  if (errors.length === 0) {
    passed++;
    if (process.env.VERBOSE) console.log(`  ok   ${q.where}`);
  } else {
    failed++;
    console.log(`  FAIL ${q.where}: ${errors.map((d) => `${d.Code} ${d.Message}`).join('; ')}`);
  }
}
// The check itself must catch a wrong column.
const bad = K.KustoCode.ParseAndAnalyze(`${tableName} | order by NoSuchColumn`, globals);
if (globalThis.Bridge.toArray(bad.GetDiagnostics()).length === 0) {
  failed++;
  console.log('  FAIL the check binds a query with an unknown column');
}
console.log(`kql: ${passed} passed, ${failed} failed (${columns.length} columns of ${tableName})`);
process.exit(failed === 0 ? 0 : 1);
