#!/usr/bin/env python3
"""The agent pod as the operator renders it, turned into what podman runs (tests/images/run.sh).

Usage: pod_to_podman.py DAEMONSET_YAML SUBST_JSON MODE
  MODE run   prints the `podman run` options and the container's arguments, one per line
  MODE pod   prints the pod template as a Pod for `podman kube play`
  MODE facts prints the rendered security facts as JSON (for the test's own assertions)

SUBST_JSON says only what must differ on a machine that is not a node: where each hostPath is
(the state directory), what the projected token and the emptyDirs are (directories), what the
downward API gives (NODE_NAME), the service URLs and the agent's port, and the image built here.
Everything else, security context first, is taken from the rendered object unchanged.
"""
import json
import re
import sys

import yaml


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)


def main():
    ds, subst, mode = load(sys.argv[1]), json.load(open(sys.argv[2])), sys.argv[3]
    pod = ds["spec"]["template"]["spec"]
    c = pod["containers"][0]
    sc = c.get("securityContext") or {}
    caps = sc.get("capabilities") or {}
    env = {}
    for e in c.get("env") or []:
        if "value" in e:
            env[e["name"]] = e["value"]
        else:
            field = e["valueFrom"]["fieldRef"]["fieldPath"]
            env[e["name"]] = subst["fieldRefs"][field]

    def expand(arg):
        return re.sub(r"\$\((\w+)\)", lambda m: env.get(m.group(1), m.group(0)), arg)

    args = [expand(a) for a in c.get("args") or []]
    for flag, value in subst["args"].items():
        args[args.index(flag) + 1] = value

    volumes = {v["name"]: v for v in pod.get("volumes") or []}
    mounts = []
    for m in c.get("volumeMounts") or []:
        v = volumes[m["name"]]
        if "hostPath" in v:
            src = subst["hostPaths"].get(v["hostPath"]["path"], v["hostPath"]["path"])
        elif "emptyDir" in v or "projected" in v or "configMap" in v:
            src = subst["volumes"][m["name"]]
        else:
            raise SystemExit(f"pod_to_podman: volume {m['name']}: kind not known: {sorted(v)}")
        mounts.append({"name": m["name"], "src": src, "dst": m["mountPath"],
                       "ro": bool(m.get("readOnly")), "propagation": m.get("mountPropagation")})

    facts = {
        "image": c["image"],
        "runAsUser": sc.get("runAsUser"),
        "privileged": bool(sc.get("privileged")),
        "allowPrivilegeEscalation": sc.get("allowPrivilegeEscalation"),
        "readOnlyRootFilesystem": sc.get("readOnlyRootFilesystem"),
        "capDrop": caps.get("drop") or [],
        "capAdd": caps.get("add") or [],
        "seccomp": (sc.get("seccompProfile") or pod.get("securityContext", {}).get("seccompProfile") or {}).get("type"),
        "hostPID": bool(pod.get("hostPID")),
        "hostNetwork": bool(pod.get("hostNetwork")),
        "mounts": mounts,
        "args": args,
        "memoryLimit": ((c.get("resources") or {}).get("limits") or {}).get("memory"),
    }
    if mode == "facts":
        print(json.dumps(facts, indent=1))
    elif mode == "run":
        out = []
        if facts["runAsUser"] is not None:
            out += ["--user", str(facts["runAsUser"])]
        for cap in facts["capDrop"]:
            out += ["--cap-drop", cap]
        for cap in facts["capAdd"]:
            out += ["--cap-add", cap]
        if facts["readOnlyRootFilesystem"]:
            out.append("--read-only")
        if facts["allowPrivilegeEscalation"] is False:
            out += ["--security-opt", "no-new-privileges"]
        if facts["privileged"]:
            out.append("--privileged")
        if facts["hostPID"]:
            out += ["--pid", "host"]
        for m in mounts:
            opts = ["ro" if m["ro"] else "rw"]
            if m["propagation"] == "HostToContainer":
                opts.append("rslave")
            out += ["-v", f"{m['src']}:{m['dst']}:{','.join(opts)}"]
        for k, v in env.items():
            out += ["-e", f"{k}={v}"]
        out.append(subst["image"])
        out += args
        print("\n".join(out))
    elif mode == "pod":
        pod_out = {
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "kubefim-agent", "labels": ds["spec"]["template"]["metadata"].get("labels", {})},
            "spec": {
                "hostNetwork": True,  # the services of the test listen on the host's loopback
                "hostPID": facts["hostPID"],
                "restartPolicy": "Never",
                "containers": [{
                    "name": c["name"], "image": subst["image"], "args": args,
                    "env": [{"name": k, "value": v} for k, v in env.items()],
                    "securityContext": sc,
                    "volumeMounts": [{"name": m["name"], "mountPath": m["dst"], "readOnly": m["ro"]}
                                     for m in mounts],
                }],
                "volumes": [{"name": m["name"], "hostPath": {"path": m["src"], "type": "Directory"}}
                            for m in mounts],
            },
        }
        print(yaml.safe_dump(pod_out, sort_keys=False))
    else:
        raise SystemExit(f"pod_to_podman: unknown mode {mode}")


if __name__ == "__main__":
    main()
