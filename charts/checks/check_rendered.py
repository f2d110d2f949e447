#!/usr/bin/env python3
"""Checks manifests rendered by `helm template` against what issue 6 and SPEC §7 ask.

Usage: check_rendered.py --label NAME [--expect default|aks|policies|pg|pvc] FILE

Prints a "  FAIL  ..." line per failed check (with -v also "  ok    ..." per passed one), then
"RESULT <label> passed=N failed=N"; exits 1 when any failed.
The general checks run on every rendering; --expect adds those of one values set.
"""
import argparse
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CRD_FILE = os.path.join(HERE, "..", "kubefim", "crds", "fimpolicies.kubefim.io-v1.yml")
WORKLOAD_KINDS = {"Deployment", "DaemonSet", "StatefulSet", "Job", "CronJob", "Pod"}
SERVICES = ("operator", "config-service", "ingest-service")
RBAC_ESCALATING_VERBS = {"escalate", "bind", "impersonate"}
REQUIRED_LABELS = (
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/component",
    "app.kubernetes.io/managed-by",
)


class Checks:
    def __init__(self, label, verbose):
        self.label = label
        self.verbose = verbose
        self.passed = 0
        self.failed = 0

    def check(self, ok, what, why=""):
        if ok:
            self.passed += 1
            if self.verbose:
                print(f"  ok    [{self.label}] {what}")
        else:
            self.failed += 1
            print(f"  FAIL  [{self.label}] {what}" + (f": {why}" if why else ""))
        return ok


def pod_spec(obj):
    spec = obj.get("spec") or {}
    if obj["kind"] == "Pod":
        return spec
    if obj["kind"] == "CronJob":
        return spec["jobTemplate"]["spec"]["template"]["spec"]
    return spec["template"]["spec"]


def pod_labels(obj):
    return ((obj.get("spec") or {}).get("template") or {}).get("metadata", {}).get("labels") or {}


def containers(spec):
    return (spec.get("initContainers") or []) + (spec.get("containers") or [])


def component(obj):
    return (obj.get("metadata", {}).get("labels") or {}).get("app.kubernetes.io/component")


def env_of(container):
    return {e["name"]: e for e in container.get("env") or []}


# --- general checks -----------------------------------------------------------------------


def check_labels(c, docs):
    missing = [
        f"{d['kind']}/{d['metadata']['name']}"
        for d in docs
        if d["kind"] != "CustomResourceDefinition"
        and not all(k in (d["metadata"].get("labels") or {}) for k in REQUIRED_LABELS)
    ]
    c.check(not missing, "every object has the app.kubernetes.io/* labels", ", ".join(missing))


def check_workload(c, obj):
    name = f"{obj['kind']}/{obj['metadata']['name']}"
    spec = pod_spec(obj)
    psc = spec.get("securityContext") or {}
    for flag in ("hostNetwork", "hostPID", "hostIPC"):
        c.check(not spec.get(flag), f"{name}: no {flag}")
    host_paths = [v["name"] for v in spec.get("volumes") or [] if "hostPath" in v]
    c.check(not host_paths, f"{name}: no hostPath volume", ", ".join(host_paths))
    c.check(spec.get("automountServiceAccountToken") is not True or spec.get("serviceAccountName"),
            f"{name}: runs under its own ServiceAccount")
    for ctr in containers(spec):
        cn = f"{name} container {ctr['name']}"
        res = ctr.get("resources") or {}
        req, lim = res.get("requests") or {}, res.get("limits") or {}
        c.check("cpu" in req and "memory" in req, f"{cn}: resources.requests cpu and memory", str(req))
        c.check("memory" in lim, f"{cn}: resources.limits memory", str(lim))
        sc = ctr.get("securityContext") or {}
        c.check(sc.get("readOnlyRootFilesystem") is True, f"{cn}: readOnlyRootFilesystem true")
        c.check(sc.get("allowPrivilegeEscalation") is False, f"{cn}: allowPrivilegeEscalation false")
        c.check(sc.get("privileged") is not True, f"{cn}: not privileged")
        caps = sc.get("capabilities") or {}
        c.check("ALL" in (caps.get("drop") or []), f"{cn}: capabilities drop ALL")
        c.check(not caps.get("add"), f"{cn}: adds no capability", str(caps.get("add")))
        non_root = sc.get("runAsNonRoot", psc.get("runAsNonRoot"))
        uid = sc.get("runAsUser", psc.get("runAsUser"))
        c.check(non_root is True and uid not in (0, "0"), f"{cn}: runAsNonRoot true, non-zero UID")
        seccomp = (sc.get("seccompProfile") or psc.get("seccompProfile") or {}).get("type")
        c.check(seccomp in ("RuntimeDefault", "Localhost"), f"{cn}: seccomp RuntimeDefault")
        live = ((ctr.get("livenessProbe") or {}).get("httpGet") or {}).get("path")
        ready = ((ctr.get("readinessProbe") or {}).get("httpGet") or {}).get("path")
        c.check(live == "/q/health/live" and ready == "/q/health/ready",
                f"{cn}: probes on /q/health/live and /q/health/ready", f"{live}, {ready}")
        secrets_inline = [
            n for n, e in env_of(ctr).items()
            if re.search(r"(PASSWORD|SECRET|TOKEN|_KEY)$", n) and "value" in e and e["value"]
        ]
        c.check(not secrets_inline, f"{cn}: no secret as a literal env value", ", ".join(secrets_inline))


def check_rbac(c, docs):
    for obj in docs:
        if obj["kind"] not in ("ClusterRole", "Role"):
            continue
        name = f"{obj['kind']}/{obj['metadata']['name']}"
        for i, rule in enumerate(obj.get("rules") or []):
            fields = {k: rule.get(k) or [] for k in ("verbs", "resources", "apiGroups")}
            wild = [k for k, v in fields.items() if "*" in v or any("*" in x for x in v)]
            c.check(not wild, f"{name} rule {i}: no wildcard", ", ".join(wild))
            c.check(not RBAC_ESCALATING_VERBS & set(fields["verbs"]),
                    f"{name} rule {i}: no escalate/bind/impersonate")
            c.check("secrets" not in fields["resources"], f"{name} rule {i}: no access to Secrets")
            writes = {"create", "update", "patch", "delete", "deletecollection"} & set(fields["verbs"])
            if obj["kind"] == "ClusterRole" and writes:
                # Cluster-wide writes only where the object is cluster-scoped or a review.
                allowed = {"fimpolicies", "fimpolicies/status", "tokenreviews", "subjectaccessreviews"}
                c.check(set(fields["resources"]) <= allowed,
                        f"{name} rule {i}: cluster-wide writes only on FimPolicies and reviews",
                        str(fields["resources"]))
        if obj["kind"] == "ClusterRole":
            flat = [r for rule in obj.get("rules") or [] for r in rule.get("resources") or []]
            c.check(not {"daemonsets", "serviceaccounts"} & set(flat),
                    f"{name}: DaemonSets and ServiceAccounts only through a namespaced Role")
            # Pods cluster-wide: only config-service's `list`, for the agents' pod directory
            # (GET /v1/nodes/{node}/pods/{podUid}, docs/config-service.md); no get, no watch.
            pod_verbs = sorted({v for rule in obj.get("rules") or [] if "pods" in (rule.get("resources") or [])
                                for v in rule.get("verbs") or []})
            allowed = [["list"]] if component(obj) == "config-service" else []
            c.check(not pod_verbs or pod_verbs in allowed,
                    f"{name}: Pods cluster-wide only as config-service's list (else through a namespaced Role)",
                    str(pod_verbs))
    for obj in docs:
        if obj["kind"] in ("RoleBinding", "ClusterRoleBinding"):
            ref = obj["roleRef"]["name"]
            c.check(ref not in ("cluster-admin", "admin", "edit"),
                    f"{obj['kind']}/{obj['metadata']['name']}: binds no built-in broad role", ref)


def check_pdbs(c, docs):
    pdbs = {component(d): d for d in docs if d["kind"] == "PodDisruptionBudget"}
    for d in docs:
        if d["kind"] != "Deployment":
            continue
        replicas = d["spec"].get("replicas", 1)
        comp = component(d)
        if replicas > 1:
            pdb = pdbs.get(comp)
            ok = pdb is not None and pdb["spec"]["selector"]["matchLabels"].items() <= pod_labels(d).items()
            c.check(ok, f"Deployment/{d['metadata']['name']} ({replicas} replicas): a PodDisruptionBudget selects it")
        else:
            c.check(comp not in pdbs, f"Deployment/{d['metadata']['name']} (1 replica): no PodDisruptionBudget")


def check_operator_wiring(c, docs):
    """The URLs the operator hands to agents name Services that exist, on their ports."""
    services = {
        d["metadata"]["name"]: {p["port"] for p in d["spec"]["ports"]}
        for d in docs if d["kind"] == "Service"
    }
    op = [d for d in docs if d["kind"] == "Deployment" and component(d) == "operator"]
    if not c.check(len(op) == 1, "one operator Deployment"):
        return
    env = env_of(pod_spec(op[0])["containers"][0])
    for var in ("KUBEFIM_OPERATOR_NAMESPACE", "KUBEFIM_OPERATOR_AGENT_IMAGE",
                "KUBEFIM_OPERATOR_AGENT_WINDOWS_IMAGE",
                "KUBEFIM_OPERATOR_CONFIG_SERVICE_URL", "KUBEFIM_OPERATOR_AGENT_CONFIG_URL",
                "KUBEFIM_OPERATOR_AGENT_INGEST_URL", "KUBEFIM_OPERATOR_AGENT_MEMORY_LIMIT"):
        c.check(var in env, f"operator env has {var}")
    for var in ("KUBEFIM_OPERATOR_CONFIG_SERVICE_URL", "KUBEFIM_OPERATOR_AGENT_INGEST_URL"):
        url = (env.get(var) or {}).get("value", "")
        m = re.match(r"^https?://([^.:/]+)\.[^.:/]+\.svc:(\d+)$", url)
        ok = bool(m) and m.group(1) in services and int(m.group(2)) in services[m.group(1)]
        c.check(ok, f"{var} names a rendered Service and its port", url)
    # config-service lets only the operator's ServiceAccount read rollouts, by its projected token
    op_spec = pod_spec(op[0])
    cs = [d for d in docs if d["kind"] == "Deployment" and component(d) == "config-service"]
    if c.check(len(cs) == 1, "one config-service Deployment"):
        cs_env = env_of(pod_spec(cs[0])["containers"][0])
        want = f"{op[0]['metadata']['namespace']}:{op_spec.get('serviceAccountName')}"
        got = (cs_env.get("KUBEFIM_CONFIG_OPERATOR_SERVICE_ACCOUNT") or {}).get("value")
        c.check(got == want, "config-service's operator-service-account is the operator's", f"{got} != {want}")
    # both services accept the agents' tokens: the ServiceAccount the operator makes (kubefim-agent)
    # in its own namespace, not the built-in default namespace "kubefim"
    agent_sa = f"{op[0]['metadata'].get('namespace')}:kubefim-agent"
    for d in docs:
        if d["kind"] == "Deployment" and component(d) in ("config-service", "ingest-service"):
            got = (env_of(pod_spec(d)["containers"][0]).get("KUBEFIM_AUTH_AGENT_SERVICE_ACCOUNT") or {}).get("value")
            c.check(got == agent_sa, f"{component(d)} accepts the agents' ServiceAccount", f"{got} != {agent_sa}")
    token_file = (env.get("KUBEFIM_OPERATOR_CONFIG_SERVICE_TOKEN_FILE") or {}).get("value", "")
    projected = [
        (m["mountPath"] + "/" + src["serviceAccountToken"]["path"], src["serviceAccountToken"].get("audience"))
        for v in op_spec.get("volumes") or [] if "projected" in v
        for m in op_spec["containers"][0].get("volumeMounts") or [] if m["name"] == v["name"]
        for src in v["projected"]["sources"] if "serviceAccountToken" in src
    ]
    c.check((token_file, "kubefim") in projected,
            "the operator's config-service token file is a projected token, audience kubefim",
            f"{token_file} in {projected}")
    for var, what in (("KUBEFIM_OPERATOR_AGENT_IMAGE", "agent image"),
                      ("KUBEFIM_OPERATOR_AGENT_WINDOWS_IMAGE", "Windows agent image")):
        image = (env.get(var) or {}).get("value", "")
        c.check(bool(re.match(r"^[^:@\s]+(:[\w.-]+|@sha256:[0-9a-f]{64})$", image)),
                f"{what} is repository:tag or repository@digest", image)


# --- FimPolicy against the CRD's OpenAPI schema ---------------------------------------------


def python_pattern(pattern):
    """The API server's (Go RE2) pattern for Python's re: RE2 takes flags such as (?i) after the
    leading ^ (the CRD's registry-key pattern does), Python only at the very start."""
    m = re.match(r"^\^\(\?([a-zA-Z]+)\)", pattern)
    return f"(?{m.group(1)})^{pattern[m.end():]}" if m else pattern


def schema_errors(value, schema, path="spec"):
    """A small OpenAPI v3 structural-schema validator: what the API server checks before CEL."""
    errs = []
    t = schema.get("type")
    kinds = {"object": dict, "array": list, "string": str, "boolean": bool}
    if t == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{path}: not an integer"]
    elif t in kinds and not isinstance(value, kinds[t]):
        return [f"{path}: not {t}"]
    if "enum" in schema and value not in schema["enum"]:
        errs.append(f"{path}: {value!r} not in {schema['enum']}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(python_pattern(schema["pattern"]), value):
            errs.append(f"{path}: {value!r} does not match {schema['pattern']}")
        if len(value) > schema.get("maxLength", 1 << 30) or len(value) < schema.get("minLength", 0):
            errs.append(f"{path}: length out of bounds")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", 1 << 30):
            errs.append(f"{path}: {len(value)} items out of bounds")
        for i, item in enumerate(value):
            errs += schema_errors(item, schema.get("items", {}), f"{path}[{i}]")
    if isinstance(value, dict):
        props = schema.get("properties")
        for req in schema.get("required", []):
            if req not in value:
                errs.append(f"{path}.{req}: required")
        for k, v in value.items():
            if props is not None and k in props:
                errs += schema_errors(v, props[k], f"{path}.{k}")
            elif isinstance(schema.get("additionalProperties"), dict):
                errs += schema_errors(v, schema["additionalProperties"], f"{path}.{k}")
            elif props is not None and not schema.get("x-kubernetes-preserve-unknown-fields"):
                errs.append(f"{path}.{k}: unknown field (the API server would prune it)")
    return errs


def selects(selector, labels):
    if not selector.get("matchLabels", {}).items() <= labels.items():
        return False
    for e in selector.get("matchExpressions") or []:
        present = e["key"] in labels
        if e["operator"] == "DoesNotExist" and present:
            return False
        if e["operator"] == "Exists" and not present:
            return False
        if e["operator"] == "In" and labels.get(e["key"]) not in e["values"]:
            return False
        if e["operator"] == "NotIn" and labels.get(e["key"]) in e["values"]:
            return False
    return True


def check_service_monitors(c, docs):
    services = [d for d in docs if d["kind"] == "Service"]
    for sm in (d for d in docs if d["kind"] == "ServiceMonitor"):
        hits = [s["metadata"]["name"] for s in services if selects(sm["spec"]["selector"], s["metadata"].get("labels") or {})]
        c.check(len(hits) == 1, f"ServiceMonitor/{sm['metadata']['name']} selects exactly one Service", str(hits))
        ports = {p.get("name") for s in services if s["metadata"]["name"] in hits for p in s["spec"]["ports"]}
        c.check(all(e["port"] in ports for e in sm["spec"]["endpoints"]),
                f"ServiceMonitor/{sm['metadata']['name']} scrapes a named port of it")


def check_policies(c, docs):
    with open(CRD_FILE, encoding="utf-8") as f:
        crd = yaml.safe_load(f)
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1alpha1")
    spec_schema = version["schema"]["openAPIV3Schema"]["properties"]["spec"]
    for d in docs:
        if d.get("kind") != "FimPolicy" and "kubefim.io" not in d.get("apiVersion", ""):
            continue
        name = f"FimPolicy/{d['metadata'].get('name')}"
        c.check(d.get("apiVersion") == "kubefim.io/v1alpha1" and d.get("kind") == "FimPolicy",
                f"{name}: apiVersion kubefim.io/v1alpha1, kind FimPolicy",
                f"{d.get('apiVersion')} {d.get('kind')}")
        c.check("namespace" not in d["metadata"], f"{name}: cluster-scoped (no namespace)")
        c.check(re.match(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", d["metadata"].get("name", "")) is not None,
                f"{name}: a valid object name")
        errs = schema_errors(d.get("spec"), spec_schema)
        c.check(not errs, f"{name}: spec valid against the CRD schema", "; ".join(errs[:5]))


# --- per values set --------------------------------------------------------------------------


def by_kind(docs, kind):
    return [d for d in docs if d["kind"] == kind]


def deployment(docs, comp):
    found = [d for d in by_kind(docs, "Deployment") if component(d) == comp]
    return found[0] if found else None


def ingest_env(docs):
    dep = deployment(docs, "ingest-service")
    return env_of(pod_spec(dep)["containers"][0]) if dep else {}


def grants(role, group, resource, verb):
    return any(group in (r.get("apiGroups") or []) and resource in (r.get("resources") or [])
               and verb in (r.get("verbs") or []) for r in role.get("rules") or [])


def check_operator_leader_election(c, docs):
    """Issue 13: two operator replicas elect a leader through a Lease in the release namespace."""
    dep = deployment(docs, "operator")
    c.check(dep["spec"]["replicas"] == 2, "default: 2 operator replicas", str(dep["spec"].get("replicas")))
    c.check(dep["spec"]["strategy"]["type"] == "RollingUpdate",
            "default: operator RollingUpdate (only the Lease holder reconciles)")
    pdb = next((d for d in by_kind(docs, "PodDisruptionBudget") if component(d) == "operator"), None)
    c.check(pdb is not None and pdb["spec"].get("minAvailable") == 1
            and pdb["spec"]["selector"]["matchLabels"].items() <= pod_labels(dep).items(),
            "default: the operator's PodDisruptionBudget keeps 1 pod (minAvailable 1)")
    env = env_of(pod_spec(dep)["containers"][0])
    lease = env.get("KUBEFIM_OPERATOR_LEADER_ELECTION_LEASE_NAME", {}).get("value")
    c.check(env.get("KUBEFIM_OPERATOR_LEADER_ELECTION_ENABLED", {}).get("value") == "true" and bool(lease),
            "default: the operator runs with leader election on, Lease named", str(lease))
    ns = dep["metadata"]["namespace"]
    roles = [d for d in by_kind(docs, "Role") if component(d) == "operator"]
    lease_rules = [r for role in roles for r in role.get("rules") or []
                   if "coordination.k8s.io" in (r.get("apiGroups") or [])]
    named = [r for r in lease_rules if r.get("resourceNames")]
    verbs = {v for r in lease_rules for v in r.get("verbs") or []}
    c.check(bool(lease_rules) and all(role["metadata"].get("namespace") == ns for role in roles)
            and {"get", "create", "update", "patch"} <= verbs
            and all(r.get("resources") == ["leases"] for r in lease_rules)
            and all(r.get("resourceNames") == [lease] for r in named)
            and all(set(r["verbs"]) <= {"create"} for r in lease_rules if not r.get("resourceNames")),
            "default: the operator's Role (its namespace only) may get/update/patch its Lease and create Leases",
            str(lease_rules))
    cluster = [r for d in by_kind(docs, "ClusterRole") for r in d.get("rules") or []
               if "coordination.k8s.io" in (r.get("apiGroups") or [])]
    c.check(not cluster, "default: no cluster-wide right on Leases", str(cluster))


def check_readers(c, label, docs, env):
    """Issue 13: readers log in and RBAC decides; the chart gives the reader role and the reviews."""
    c.check(env.get("KUBEFIM_READERS_MODE", {}).get("value") == "rbac", f"{label}: readers in rbac mode")
    roles = {d["metadata"]["name"]: d for d in by_kind(docs, "ClusterRole")}
    ingest = [d for d in roles.values() if component(d) == "ingest-service" and not d["metadata"]["name"].endswith("-event-reader")]
    c.check(len(ingest) == 1 and grants(ingest[0], "authorization.k8s.io", "subjectaccessreviews", "create")
            and grants(ingest[0], "authentication.k8s.io", "tokenreviews", "create"),
            f"{label}: ingest-service may create TokenReviews and SubjectAccessReviews")
    reader = [d for d in roles.values() if d["metadata"]["name"].endswith("-event-reader")]
    c.check(len(reader) == 1 and reader[0]["rules"] == [{"apiGroups": ["kubefim.io"], "resources": ["fimevents"], "verbs": ["get"]}],
            f"{label}: the event-reader ClusterRole grants exactly get fimevents.kubefim.io")
    bindings = [d for d in by_kind(docs, "ClusterRoleBinding") if d["roleRef"]["name"].endswith("-event-reader")]
    agents = [s for b in bindings for s in b.get("subjects") or [] if "agent" in s.get("name", "")]
    c.check(not agents, f"{label}: no agent bound to the event-reader role")
    return bindings


def expect(c, kind_of_values, docs):
    kinds = [d["kind"] for d in docs]
    cs_roles = [d for d in by_kind(docs, "ClusterRole") if component(d) == "config-service"]
    c.check(len(cs_roles) == 1 and grants(cs_roles[0], "", "pods", "list"),
            "config-service's ClusterRole lists pods cluster-wide (the agents' pod directory, issue 12)")
    c.check(sorted(component(d) for d in by_kind(docs, "Deployment")) == sorted(SERVICES),
            "Deployments: operator, config-service, ingest-service")
    c.check(not by_kind(docs, "DaemonSet"), "no DaemonSet (the operator makes the agent's)")
    env = ingest_env(docs)
    sinks = env.get("KUBEFIM_INGEST_SINKS", {}).get("value")
    policies = sorted(d["metadata"]["name"] for d in by_kind(docs, "FimPolicy"))
    if kind_of_values == "default":
        c.check(sinks == "store", "default sinks: store", sinks)
        c.check(not policies, "default: no FimPolicy", str(policies))
        c.check("ServiceMonitor" not in kinds, "default: no ServiceMonitor")
        c.check(sorted(component(d) for d in by_kind(docs, "PodDisruptionBudget")) == ["operator"],
                "default: a PodDisruptionBudget for the operator only (the services run one replica)")
        check_operator_leader_election(c, docs)
        dep = deployment(docs, "ingest-service")
        vols = {v["name"]: v for v in pod_spec(dep)["volumes"]}
        c.check("persistentVolumeClaim" in vols.get("store", {}),
                "default: the embedded store on a PersistentVolumeClaim (survives the pod)")
        c.check(len(by_kind(docs, "PersistentVolumeClaim")) == 1, "default: the store's PVC is rendered")
        c.check(dep["spec"]["strategy"]["type"] == "Recreate", "default: Recreate strategy (ReadWriteOnce)")
        c.check(env.get("KUBEFIM_INGEST_STORE_RETENTION", {}).get("value") == "90d", "default: retention 90d")
        c.check(env.get("KUBEFIM_INGEST_STORE_MAX_EVENTS", {}).get("value") == "500000",
                "default: max-events 500000", str(env.get("KUBEFIM_INGEST_STORE_MAX_EVENTS")))
        c.check(env.get("KUBEFIM_INGEST_STORE_FSYNC", {}).get("value") == "true", "default: fsync per batch")
        c.check("QUARKUS_HTTP_INSECURE_REQUESTS" not in env, "default: plain HTTP (no TLS)")
        c.check(not check_readers(c, "default", docs, env), "default: nobody bound to the event-reader role")
        c.check("QUARKUS_OIDC_TENANT_ENABLED" not in env, "default: OIDC off")
    elif kind_of_values == "aks":
        dep = deployment(docs, "ingest-service")
        c.check(not by_kind(docs, "PersistentVolumeClaim"), "aks: no PVC (store is not a sink)")
        c.check(pod_labels(dep).get("azure.workload.identity/use") == "true",
                "aks: ingest pod labelled azure.workload.identity/use=true")
        sa = [d for d in by_kind(docs, "ServiceAccount") if component(d) == "ingest-service"]
        c.check(bool(sa) and (sa[0]["metadata"].get("annotations") or {}).get("azure.workload.identity/client-id"),
                "aks: ingest ServiceAccount annotated azure.workload.identity/client-id")
        c.check(pod_spec(dep)["serviceAccountName"] == sa[0]["metadata"]["name"] if sa else False,
                "aks: ingest pod runs under that ServiceAccount")
        for var in ("KUBEFIM_INGEST_AZURE_ENDPOINT", "KUBEFIM_INGEST_AZURE_RULE_ID",
                    "KUBEFIM_INGEST_AZURE_STREAM_NAME", "KUBEFIM_INGEST_CLUSTER_NAME",
                    "KUBEFIM_INGEST_AZURE_RESOURCE_ID"):
            c.check(bool(env.get(var, {}).get("value")), f"aks: ingest env {var} set")
        c.check(sinks == "azure,stdout", "aks: sinks azure,stdout", sinks)
        c.check(len(by_kind(docs, "ServiceMonitor")) == 3, "aks: a ServiceMonitor per service")
        c.check(len(by_kind(docs, "Certificate")) == 1, "aks: a cert-manager Certificate")
        for comp in ("config-service", "ingest-service"):
            d = deployment(docs, comp)
            e = env_of(pod_spec(d)["containers"][0])
            c.check(e.get("QUARKUS_HTTP_INSECURE_REQUESTS", {}).get("value") == "disabled"
                    and e.get("QUARKUS_HTTP_SSL_CERTIFICATE_FILES", {}).get("value", "").startswith("/etc/kubefim/tls/")
                    and d["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["scheme"] == "HTTPS",
                    f"aks: {comp} serves HTTPS only from the mounted certificate")
        op_env = env_of(pod_spec(deployment(docs, "operator"))["containers"][0])
        c.check(op_env.get("KUBEFIM_OPERATOR_AGENT_INGEST_URL", {}).get("value", "").startswith("https://"),
                "aks: agents are handed https URLs")
        c.check(op_env.get("KUBEFIM_OPERATOR_AGENT_PRIORITY_CLASS_NAME", {}).get("value") == "system-node-critical",
                "aks: agent priorityClassName passed to the operator")
        c.check("CriticalAddonsOnly" in op_env.get("KUBEFIM_OPERATOR_AGENT_TOLERATIONS", {}).get("value", ""),
                "aks: agent tolerations passed to the operator")
        c.check(policies == ["app-config", "linux-recommended"], "aks: FimPolicies rendered", str(policies))
        bindings = check_readers(c, "aks", docs, env)
        c.check([s["kind"] for b in bindings for s in b["subjects"]] == ["Group"],
                "aks: the auditors' group is bound to the event-reader role")
        c.check(env.get("QUARKUS_OIDC_TENANT_ENABLED", {}).get("value") == "true"
                and env.get("QUARKUS_OIDC_AUTH_SERVER_URL", {}).get("value", "").startswith("https://login.microsoftonline.com/")
                and env.get("QUARKUS_OIDC_CREDENTIALS_SECRET", {}).get("valueFrom", {}).get("secretKeyRef", {}).get("name") == "kubefim-web-oidc"
                and env.get("KUBEFIM_READERS_OIDC_USERNAME_CLAIM", {}).get("value") == "oid",
                "aks: Entra ID login, client secret from a Secret, users named by oid")
    elif kind_of_values == "policies":
        c.check(policies == ["etc-ssh", "linux-recommended"], "policies: both FimPolicies rendered", str(policies))
        rec = next((d for d in by_kind(docs, "FimPolicy") if d["metadata"]["name"] == "linux-recommended"), None)
        paths = rec["spec"]["rules"][0]["paths"] if rec else []
        c.check({"/etc/*.conf", "/usr/bin", "/boot", "/etc/crontab"} <= set(paths),
                "policies: linux-recommended holds the Defender for Cloud Linux set")
        windows = rec["spec"].get("maintenanceWindows", []) if rec else []
        c.check([w.get("name") for w in windows] == ["sunday-patching"]
                and windows[0].get("timeZone") == "Europe/Amsterdam"
                and rec["spec"].get("expectedProcesses") == ["/opt/acme/bin/updater"],
                "policies: linux-recommended carries its maintenance window and expected process",
                str(windows))
        spec = rec["spec"] if rec else {}
        c.check(spec.get("scanRate") == "50Mi" and spec.get("scanNice") == 10
                and spec.get("scanIoClass") == "idle" and "scanThreads" not in spec,
                "policies: linux-recommended carries its scan budget (scanThreads unset: not rendered)",
                str({k: v for k, v in spec.items() if k.startswith("scan")}))
        etc_ssh = next((d for d in by_kind(docs, "FimPolicy") if d["metadata"]["name"] == "etc-ssh"), None)
        c.check(etc_ssh is not None and not any(k in etc_ssh["spec"] for k in ("scanRate", "scanNice", "scanIoClass", "scanThreads")),
                "policies: a custom policy without a budget has none")
    elif kind_of_values == "pg":
        e = env
        c.check(e.get("QUARKUS_DATASOURCE_POSTGRESQL_PASSWORD", {}).get("valueFrom", {}).get("secretKeyRef") is not None,
                "pg: database password from a Secret")
        c.check(e.get("KUBEFIM_INGEST_STORE_DATASOURCE", {}).get("value") == "postgresql", "pg: store on PostgreSQL")
        c.check(any(component(d) == "ingest-service" for d in by_kind(docs, "PodDisruptionBudget")),
                "pg: 3 ingest replicas have a PodDisruptionBudget")
    elif kind_of_values == "pvc":
        c.check(len(by_kind(docs, "PersistentVolumeClaim")) == 1, "pvc: a PersistentVolumeClaim for the store")
        dep = deployment(docs, "ingest-service")
        c.check(dep["spec"]["strategy"]["type"] == "Recreate", "pvc: Recreate strategy (ReadWriteOnce)")
        c.check(len(by_kind(docs, "PriorityClass")) == 1, "pvc: agent PriorityClass created")
        op_env = env_of(pod_spec(deployment(docs, "operator"))["containers"][0])
        c.check(op_env.get("KUBEFIM_OPERATOR_AGENT_PRIORITY_CLASS_NAME", {}).get("value") == "kf-kubefim-agent",
                "pvc: the created PriorityClass is handed to the operator")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--label", required=True)
    ap.add_argument("--expect", choices=["default", "aks", "policies", "pg", "pvc"])
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("file")
    args = ap.parse_args()
    c = Checks(args.label, args.verbose)
    with open(args.file, encoding="utf-8") as f:
        try:
            docs = [d for d in yaml.safe_load_all(f) if d]
        except yaml.YAMLError as e:
            c.check(False, "rendered output is valid YAML", str(e))
            docs = []
    if not docs:
        c.check(False, "rendered output has objects")
        print(f"RESULT {args.label} passed={c.passed} failed={c.failed}")
        return 1
    c.check(all("kind" in d and "apiVersion" in d for d in docs),
            f"{len(docs)} objects, each with apiVersion and kind")
    check_labels(c, docs)
    for obj in docs:
        if obj["kind"] in WORKLOAD_KINDS:
            check_workload(c, obj)
    check_rbac(c, docs)
    check_pdbs(c, docs)
    check_operator_wiring(c, docs)
    check_service_monitors(c, docs)
    check_policies(c, docs)
    if args.expect and docs:
        expect(c, args.expect, docs)
    print(f"RESULT {args.label} passed={c.passed} failed={c.failed}")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
