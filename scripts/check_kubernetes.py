#!/usr/bin/env python3
"""Checks the Kubernetes base (deploy/kubernetes/base) without a cluster.

- every manifest kustomization.yaml lists exists, and every manifest in the folder is listed;
- each one is valid, strictly (no unknown field), against the schemas of the oldest and the newest
  Kubernetes version we support (kubernetes-validate from PyPI ships them); a kind or API version
  without a schema is an error, not the validator's warning;
- the pieces fit: Services, disruption budgets and Deployments select the pods they mean, named ports
  exist, and every ConfigMap, Secret and claim a pod uses is in the base;
- what the containers are told matches the service: every setting in the ConfigMap and the Secret
  is one .env.example documents, every command is accepted by the `api` or `worker` command line,
  the API's probes are GET routes of its OpenAPI document, the listening port is the one the
  settings give, and pods run as the Dockerfile's user;
- deploys lose nothing: the API rolls without going below its replicas and drains before it stops
  (a preStop pause within the grace period); a worker's grace period covers WORKER_SHUTDOWN_TIMEOUT;
  every container asks for CPU and memory and has a memory limit; a Job runs `migrate`.

Usage: scripts/check_kubernetes.py [PATH_TO_API_BINARY]   (default: .build/debug/api; `worker` is
taken from the same folder). Run by scripts/check-kubernetes, which installs the validator.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import kubernetes_validate
import yaml

BASE = "deploy/kubernetes/base"
# The oldest version whose schema has everything the base uses (preStop's sleep action), and the
# newest the validator knows.
KUBERNETES_VERSIONS = ("1.30.0", kubernetes_validate.utils.latest_version())

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(root)
api = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/api"
worker = os.path.join(os.path.dirname(api), "worker")
problems = []


def check(condition, message):
    if not condition:
        problems.append(message)
    return condition


def cli_accepts(arguments, executable):
    """Whether `EXECUTABLE ARGUMENTS --help` parses (exit 0) without running anything."""
    return subprocess.run([executable, *arguments, "--help"], capture_output=True).returncode == 0


# --- The manifests, each valid on its own --------------------------------------------------------
kustomization = yaml.safe_load(open(f"{BASE}/kustomization.yaml"))
listed = kustomization.get("resources", [])
on_disk = sorted(name for name in os.listdir(BASE) if name.endswith((".yaml", ".yml")) and name != "kustomization.yaml")
for name in on_disk:
    check(name in listed, f"{name}: not listed in kustomization.yaml's resources")

resources = []
for name in listed:
    if not check(os.path.exists(f"{BASE}/{name}"), f"kustomization.yaml: {name} does not exist"):
        continue
    for document in yaml.safe_load_all(open(f"{BASE}/{name}")):
        if document is None:
            continue
        kind = f"{name}: {document.get('kind')} {document.get('metadata', {}).get('name')}"
        for version in KUBERNETES_VERSIONS:
            try:
                kubernetes_validate.validate(document, version, strict=True)
            except kubernetes_validate.ValidationError as error:
                problems.append(f"{kind}: invalid for Kubernetes {version}: {error.message} at {'.'.join(map(str, error.path))}")
            except (kubernetes_validate.SchemaNotFoundError, kubernetes_validate.InvalidSchemaError):
                problems.append(f"{kind}: no schema for {document.get('apiVersion')} {document.get('kind')} in Kubernetes {version}")
        resources.append(document)


def named(kind):
    return {r["metadata"]["name"]: r for r in resources if r.get("kind") == kind}


config_maps, secrets, claims = named("ConfigMap"), named("Secret"), named("PersistentVolumeClaim")
deployments, jobs = named("Deployment"), named("Job")
workloads = {**deployments, **jobs}

# --- The pieces fit together ----------------------------------------------------------------------
images = {image["name"] for image in kustomization.get("images", [])}


def pod_labels(workload):
    return workload["spec"]["template"]["metadata"].get("labels", {})


def selects(selector, labels):
    return bool(selector) and all(labels.get(key) == value for key, value in selector.items())


for name, deployment in deployments.items():
    check(selects(deployment["spec"]["selector"]["matchLabels"], pod_labels(deployment)),
          f"Deployment {name}: its selector does not match its pods' labels")
for name, service in named("Service").items():
    targets = [d for d in deployments.values() if selects(service["spec"].get("selector"), pod_labels(d))]
    if check(len(targets) == 1, f"Service {name}: selects {len(targets)} Deployments, not 1"):
        ports = {p.get("name") for c in targets[0]["spec"]["template"]["spec"]["containers"] for p in c.get("ports", [])}
        for port in service["spec"]["ports"]:
            target = port.get("targetPort")
            check(not isinstance(target, str) or target in ports, f"Service {name}: no container port named {target}")
for name, budget in named("PodDisruptionBudget").items():
    check(any(selects(budget["spec"]["selector"]["matchLabels"], pod_labels(d)) for d in deployments.values()),
          f"PodDisruptionBudget {name}: selects no Deployment's pods")

# --- What the containers are told matches the service ---------------------------------------------
documented = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", open(".env.example").read(), re.MULTILINE))
settings = {}
for source in [*config_maps.values(), *secrets.values()]:
    values = {**source.get("data", {}), **source.get("stringData", {})}
    for key in values:
        check(key in documented, f"{source['kind']} {source['metadata']['name']}: {key} is not a setting .env.example documents")
    settings.update(values)

dockerfile = open("Dockerfile").read()
user = re.search(r"useradd [^\n]*--uid (\d+)", dockerfile)
check(user, "Dockerfile: the run stage should create its user with a fixed --uid")

with tempfile.TemporaryDirectory() as work:
    environment = {**os.environ, "DATABASE_URL": f"sqlite://{work}/openapi.sqlite", "LOG_LEVEL": "error"}
    document = subprocess.run([api, "openapi"], capture_output=True, text=True, env=environment, cwd=work)
check(document.returncode == 0, f"`api openapi` failed: {document.stderr.strip()}")
api_routes = set(json.loads(document.stdout or "{}").get("paths", {}))


def check_probe(where, container, probe_name, executable):
    probe = container.get(probe_name)
    if probe is None:
        return
    get = probe.get("httpGet")
    if not check(get, f"{where}: {probe_name} should be an HTTP GET"):
        return
    ports = {p.get("name"): p["containerPort"] for p in container.get("ports", [])}
    check(get["port"] in ports or get["port"] in ports.values(), f"{where}: {probe_name} port {get['port']} is not a container port")
    if executable == api:
        check(get["path"] in api_routes, f"{where}: {probe_name} path {get['path']} is not a route of `api openapi`")
    else:
        check(get["path"] == "/metrics", f"{where}: {probe_name} path {get['path']}: a worker serves only /metrics")


for name, workload in workloads.items():
    pod = workload["spec"]["template"]["spec"]
    where = f"{workload['kind']} {name}"
    check(user and str(pod.get("securityContext", {}).get("runAsUser")) == user.group(1),
          f"{where}: runAsUser should be the Dockerfile's user ({user and user.group(1)})")
    for volume in pod.get("volumes", []):
        claim = volume.get("persistentVolumeClaim", {}).get("claimName")
        check(claim is None or claim in claims, f"{where}: claim {claim} is not in the base")
    for container in pod["containers"]:
        where = f"{workload['kind']} {name}, container {container['name']}"
        check(container.get("image") in images, f"{where}: image {container.get('image')} is not one kustomization.yaml sets")
        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                check(source["configMapRef"]["name"] in config_maps, f"{where}: no ConfigMap {source['configMapRef']['name']}")
            if "secretRef" in source:
                check(source["secretRef"]["name"] in secrets, f"{where}: no Secret {source['secretRef']['name']}")
        executable = worker if container.get("command") == ["/app/worker"] else api
        check(container.get("command") in (None, ["/app/worker"], ["/app/api"]), f"{where}: runs neither /app/api nor /app/worker")
        check(cli_accepts(container.get("args", []), executable),
              f"{where}: args {container.get('args')} are not accepted by `{os.path.basename(executable)}`")
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            check_probe(where, container, probe, executable)
        asks = container.get("resources", {})
        check({"cpu", "memory"} <= set(asks.get("requests", {})), f"{where}: should request cpu and memory")
        check("memory" in asks.get("limits", {}), f"{where}: should limit memory")
        arguments = container.get("args", [])
        if "serve" in arguments:
            port = arguments[arguments.index("--port") + 1] if "--port" in arguments else settings.get("PORT")
            check(str(port) == settings.get("PORT") and int(port) in [p["containerPort"] for p in container.get("ports", [])],
                  f"{where}: serves on {port}, but PORT is {settings.get('PORT')} and the container ports are {container.get('ports')}")

# --- Deploys lose nothing -------------------------------------------------------------------------
check(any(c.get("args", [None])[0] == "migrate" for j in jobs.values() for c in j["spec"]["template"]["spec"]["containers"]),
      "no Job runs `migrate`")
for name, deployment in deployments.items():
    pod = deployment["spec"]["template"]["spec"]
    grace = pod.get("terminationGracePeriodSeconds", 30)
    serves = any("serve" in c.get("args", []) for c in pod["containers"])
    if serves:
        rolling = deployment["spec"].get("strategy", {}).get("rollingUpdate", {})
        check(rolling.get("maxUnavailable") == 0, f"Deployment {name}: a rolling update should keep every replica serving (maxUnavailable: 0)")
        for container in pod["containers"]:
            check("readinessProbe" in container, f"Deployment {name}: {container['name']} needs a readiness probe to gate traffic")
            pause = container.get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds")
            check(pause and pause + 10 <= grace,
                  f"Deployment {name}: {container['name']} should pause before SIGTERM (preStop sleep), leaving 10 s of its grace period to drain")
    else:
        shutdown = int(settings.get("WORKER_SHUTDOWN_TIMEOUT", 30))
        check(grace > shutdown, f"Deployment {name}: its grace period ({grace} s) should exceed WORKER_SHUTDOWN_TIMEOUT ({shutdown} s)")

if problems:
    print("Kubernetes base: problems found:")
    for problem in problems:
        print(f"  - {problem}")
    sys.exit(1)
print(f"Kubernetes base: {len(resources)} manifests valid for Kubernetes {' and '.join(KUBERNETES_VERSIONS)}, and consistent with the service")
