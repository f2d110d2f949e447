// Seeds the service at $BASE_URL through POST /v1/events: three machines, every file change type,
// a CoverageGap, one machine with no change at all, and one whose only change was expected (a
// package manager's) with a maintenance window's summary (issue 17). Times are minutes before now.
import { randomUUID } from 'node:crypto';

const base = process.env.BASE_URL;
const now = Date.now();
const at = (minutesAgo) => new Date(now - minutesAgo * 60_000).toISOString();

function file(computer, changeType, path, minutesAgo, extra = {}) {
  return {
    TimeGenerated: at(minutesAgo), EventId: randomUUID(), Computer: computer,
    MonitoredEntityType: 'File', ChangeType: changeType,
    FilePath: path, FileName: path.slice(path.lastIndexOf('/') + 1), FileType: 'File',
    DetectionSource: 'Realtime', PolicyNames: ['linux-recommended'], Tags: { compliance: 'pci-dss' },
    ...extra,
  };
}
function agent(computer, changeType, minutesAgo, details) {
  return {
    TimeGenerated: at(minutesAgo), EventId: randomUUID(), Computer: computer,
    MonitoredEntityType: 'Agent', ChangeType: changeType, Details: details,
  };
}

const modified = (path, minutesAgo) => file('node-a', 'Modified', path, minutesAgo, {
  FileSize: 2048, PreviousFileSize: 1999,
  FileSha256: 'a1'.repeat(32), PreviousFileSha256: 'b2'.repeat(32),
  FileMode: '0644', PreviousFileMode: '0600', FileOwner: '0', FileGroup: '0',
  FieldsChanged: ['Content', 'Size', 'Permissions'],
  InitiatingProcessId: 4242, InitiatingProcessName: 'vi', InitiatingProcessAccountName: 'root',
  PodName: 'debug-pod', PodNamespace: 'kube-system',
});

export const events = [
  agent('node-a', 'PolicyApplied', 60, 'config 7f3a: 4 rules'),
  file('node-a', 'Created', '/etc/cron.d/backup', 50, { FileSha256: 'c3'.repeat(32), FileSize: 120 }),
  file('node-a', 'Created', '/etc/ssl/new.pem', 49, { FileSha256: 'd4'.repeat(32), FileSize: 900 }),
  modified('/etc/passwd', 40),
  modified('/etc/ssl/openssl.cnf', 39),
  modified('/etc/crontab', 38),
  file('node-a', 'Renamed', '/etc/ssl/cert.pem', 30, { OriginalFilePath: '/etc/ssl/cert.pem.tmp' }),
  file('node-a', 'Deleted', '/etc/cron.daily/logrotate', 20, { PreviousFileSha256: 'e5'.repeat(32) }),
  agent('node-a', 'CoverageGap', 10, 'inotify queue overflow under /etc'),
  agent('node-b', 'AgentStarted', 55, 'kubefim-agent 0.1.0'),
  file('node-b', 'Modified', '/etc/hosts', 25, { FieldsChanged: ['Content'], FileSha256: 'f6'.repeat(32), PreviousFileSha256: '07'.repeat(32) }),
  file('node-b', 'Created', '/etc/profile.d/proxy.sh', 24, { FileSha256: '18'.repeat(32) }),
  agent('node-c', 'AgentStarted', 45, 'kubefim-agent 0.1.0'),
  file('node-d', 'Modified', '/usr/bin/ls', 35, {
    FieldsChanged: ['Content'], FileSha256: '29'.repeat(32), PreviousFileSha256: '3a'.repeat(32),
    ChangeExpected: true, ExpectedReason: 'PackageManager:/usr/bin/dpkg',
  }),
  {
    ...agent('node-d', 'MaintenanceWindowClosed', 15, JSON.stringify({
      policy: 'linux-recommended', window: 'patch-sunday', opened: at(75), closed: at(15), changes: 1,
      byChangeType: { Modified: 1 }, byDirectory: { '/usr/bin': 1 },
    })),
    PolicyNames: ['linux-recommended'], ChangeExpected: true, ExpectedReason: 'MaintenanceWindow:patch-sunday',
  },
];

if (import.meta.url === `file://${process.argv[1]}`) {
  const res = await fetch(`${base}/v1/events`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events),
  });
  const text = await res.text();
  if (res.status !== 202) {
    console.error(`seed: POST /v1/events answered ${res.status}: ${text}`);
    process.exit(1);
  }
  console.log(`seed: ${text}`);
}
