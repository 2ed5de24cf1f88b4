// The Helm chart: lint, render with each values set, validate the manifests against the Kubernetes API
// schema (offline, see k8s-schemas.ts), and check the fields that make the deployment work.
import { describe, expect, test } from "bun:test";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PAGE_FILES } from "../../src/web/page";
import { ensureSchemas, KUBERNETES_VERSION } from "./k8s-schemas";
import { ROOT, run, runOk, toolOrSkip } from "./tools";

const CHART = join(ROOT, "helm");
const helm = toolOrSkip("helm", "the Helm chart tests");
const kubeconform = toolOrSkip("kubeconform", "the Kubernetes schema validation");
const go = toolOrSkip("go", "the Kubernetes schema validation (its schemas come from the Go module proxy)");

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const chart = Bun.YAML.parse(readFileSync(join(CHART, "Chart.yaml"), "utf8")) as Record<string, any>;
const ciValues = readdirSync(join(CHART, "ci")).filter((f) => f.endsWith("-values.yaml")).sort();
const ALL = join(CHART, "ci/all-features-values.yaml");
const MONGODB = join(CHART, "ci/mongodb-values.yaml");
const PERSISTENCE = join(CHART, "ci/persistence-values.yaml");

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [k: string]: any };

function templateArgs(valuesFiles: string[], set: string[]): string[] {
  return [helm!, "template", "rel", CHART, "--namespace", "apps", "--kube-version", KUBERNETES_VERSION, ...valuesFiles.flatMap((f) => ["-f", f]), ...set.flatMap((s) => ["--set", s])];
}

function renderText(valuesFiles: string[] = [], set: string[] = []): string {
  return runOk(templateArgs(valuesFiles, set));
}

function render(valuesFiles: string[] = [], set: string[] = []): Manifest[] {
  const docs = Bun.YAML.parse(renderText(valuesFiles, set));
  return (Array.isArray(docs) ? docs : [docs]).filter((d): d is Manifest => d !== null && typeof d === "object");
}

/** The stderr of a render that must fail. */
function renderError(valuesFiles: string[] = [], set: string[] = []): string {
  const r = run(templateArgs(valuesFiles, set));
  expect(r.code).not.toBe(0);
  return r.stderr;
}

function find(ms: Manifest[], kind: string, name?: string): Manifest {
  const m = ms.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
  if (!m) throw new Error(`no ${kind}${name ? ` ${name}` : ""} in ${ms.map((x) => `${x.kind}/${x.metadata.name}`).join(", ")}`);
  return m;
}

function container(ms: Manifest[]) {
  return find(ms, "Deployment").spec.template.spec.containers[0];
}

function env(ms: Manifest[]): Record<string, any> {
  return Object.fromEntries(container(ms).env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
}

test("Chart.yaml: apiVersion v2, named todo, appVersion is package.json's version", () => {
  expect(chart.apiVersion).toBe("v2");
  expect(chart.name).toBe("todo");
  expect(chart.appVersion).toBe(pkg.version);
  // No chart dependency to fetch: lint and template work offline.
  expect(chart.dependencies ?? []).toEqual([]);
});

describe.skipIf(!helm)("helm", () => {
  test("helm lint --strict passes with the default values and each ci/*-values.yaml", () => {
    expect(ciValues).toContain("all-features-values.yaml");
    for (const values of [[], ...ciValues.map((f) => [join(CHART, "ci", f)])]) {
      const out = runOk([helm!, "lint", "--strict", CHART, "--kube-version", KUBERNETES_VERSION, ...values.flatMap((f) => ["-f", f])]);
      expect(out).toContain("0 chart(s) failed");
    }
  });

  test("default values: the embedded store in an emptyDir, one replica, a generated token, nothing optional", () => {
    const ms = render();
    expect(ms.map((m) => m.kind).sort()).toEqual(["Deployment", "Secret", "Service", "ServiceAccount"]);
    const d = find(ms, "Deployment");
    expect(d.metadata.name).toBe("rel-todo");
    expect(d.spec.replicas).toBe(1);
    const c = container(ms);
    expect(c.image).toBe(`todo:${pkg.version}`);
    expect(c.args).toEqual(["serve"]);
    expect(env(ms)).toMatchObject({ GRPC_PORT: "8080", HTTP_PORT: "8081", TODO_DATA_DIR: "/data", LOG_FORMAT: "json", DRAIN_SECONDS: "10" });
    expect(env(ms).MONGO_URL).toBeUndefined();
    expect(env(ms).TODO_AUTH_TOKENS_FILE).toBe("/etc/todo/auth/tokens");
    const volumes = Object.fromEntries(d.spec.template.spec.volumes.map((v: any) => [v.name, v]));
    expect(volumes.data.emptyDir).toEqual({});
    expect(volumes.tmp.emptyDir.sizeLimit).toBe("64Mi");
    expect(c.volumeMounts).toEqual([
      { name: "data", mountPath: "/data" },
      { name: "tmp", mountPath: "/tmp" },
      { name: "auth", mountPath: "/etc/todo/auth", readOnly: true },
    ]);
    expect(volumes.auth.secret).toEqual({ secretName: "rel-todo-auth", defaultMode: 0o400 });
  });

  test("tokens: a random admin token in the chart's Secret, or an existing Secret; TLS on the pod's port from a tls Secret", () => {
    const tokens = find(render(), "Secret", "rel-todo-auth").stringData.tokens;
    expect(tokens).toMatch(/^admin:[A-Za-z0-9]{48}\n$/);
    expect(find(render(), "Secret", "rel-todo-auth").stringData.tokens).not.toBe(tokens);
    expect(JSON.stringify(container(render()))).not.toContain(tokens.slice(6, 54));

    const ms = render([ALL]);
    expect(ms.filter((m) => m.kind === "Secret").map((m) => m.metadata.name)).toEqual(["rel-todo-mongo"]);
    expect(env(ms)).toMatchObject({
      TODO_AUTH_TOKENS_FILE: "/etc/todo/auth/token-file",
      TODO_PUBLIC_REFLECTION: "true",
      TLS_CERT_FILE: "/etc/todo/tls/tls.crt",
      TLS_KEY_FILE: "/etc/todo/tls/tls.key",
      TLS_CLIENT_CA_FILE: "/etc/todo/tls/ca.crt",
    });
    const volumes = Object.fromEntries(find(ms, "Deployment").spec.template.spec.volumes.map((v: any) => [v.name, v]));
    expect(volumes.auth.secret.secretName).toBe("todo-tokens");
    expect(volumes.tls.secret.secretName).toBe("todo-grpc-tls");
    // The kubelet's gRPC probe speaks no TLS.
    expect(container(ms).readinessProbe).toMatchObject({ httpGet: { path: "/readyz", port: "http" }, periodSeconds: 5 });
    expect(container(ms).readinessProbe.grpc).toBeUndefined();
    expect(renderError([], ["tls.clientCertificates=true"])).toContain("tls.clientCertificates needs tls.existingSecret");
  });

  test("probes: liveness on HTTP /healthz, readiness gRPC-native on todo.v1.TodoService", () => {
    const c = container(render());
    expect(c.ports).toEqual([
      { name: "grpc", containerPort: 8080, protocol: "TCP" },
      { name: "http", containerPort: 8081, protocol: "TCP" },
    ]);
    // Liveness must not follow the store (a MongoDB outage would restart every pod).
    expect(c.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(c.readinessProbe.grpc).toEqual({ port: 8080, service: "todo.v1.TodoService" });
  });

  test("security: non-root 65532, read-only root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp", () => {
    const ms = render();
    const pod = find(ms, "Deployment").spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container(ms).securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(container(ms).resources.requests).toBeDefined();
    expect(container(ms).resources.limits.memory).toBeDefined();
  });

  test("shutdown: the grace period outlasts preStop's sleep plus the daemon's drain", () => {
    for (const values of [[], [ALL]]) {
      const ms = render(values);
      const pod = find(ms, "Deployment").spec.template.spec;
      const sleep = container(ms).lifecycle.preStop.sleep.seconds;
      const drain = Number(env(ms).DRAIN_SECONDS);
      expect(drain).toBeGreaterThanOrEqual(10);
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(sleep + drain);
    }
    expect(renderError([], ["terminationGracePeriodSeconds=12"])).toContain("terminationGracePeriodSeconds (12) must exceed preStopSleepSeconds (5) + config.drainSeconds (10)");
  });

  test("Service: grpc 8080 (h2c appProtocol) and http 8081, selecting only the daemon's pods", () => {
    const ms = render();
    const svc = find(ms, "Service");
    expect(svc.spec.ports).toEqual([
      { name: "grpc", port: 8080, targetPort: "grpc", protocol: "TCP", appProtocol: "kubernetes.io/h2c" },
      { name: "http", port: 8081, targetPort: "http", protocol: "TCP", appProtocol: "http" },
    ]);
    expect(svc.spec.selector).toEqual(find(ms, "Deployment").spec.selector.matchLabels);
    expect(svc.spec.selector["app.kubernetes.io/component"]).toBe("server");
  });

  test("all features: Ingress for ingress-nginx with GRPC backend and TLS, GRPCRoute, HPA, PDB, ServiceMonitor, NetworkPolicy", () => {
    const ms = render([ALL]);
    expect(ms.map((m) => `${m.apiVersion} ${m.kind}`).sort()).toEqual([
      "apps/v1 Deployment",
      "autoscaling/v2 HorizontalPodAutoscaler",
      "gateway.networking.k8s.io/v1 GRPCRoute",
      "gateway.networking.k8s.io/v1 HTTPRoute",
      "monitoring.coreos.com/v1 ServiceMonitor",
      "networking.k8s.io/v1 Ingress",
      "networking.k8s.io/v1 Ingress",
      "networking.k8s.io/v1 NetworkPolicy",
      "policy/v1 PodDisruptionBudget",
      "v1 Secret",
      "v1 Service",
      "v1 ServiceAccount",
    ]);
    const ing = ms.find((m) => m.kind === "Ingress" && m.metadata.name === "rel-todo")!;
    expect(ing.spec.ingressClassName).toBe("nginx");
    // TLS on the pod's port too (tls.existingSecret): nginx speaks gRPC over TLS to it.
    expect(ing.metadata.annotations!["nginx.ingress.kubernetes.io/backend-protocol"]).toBe("GRPCS");
    expect(ing.metadata.annotations!["cert-manager.io/cluster-issuer"]).toBe("letsencrypt");
    expect(ing.spec.tls).toEqual([{ secretName: "todo-tls", hosts: ["todo.example.com"] }]);
    expect(ing.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: "rel-todo", port: { name: "grpc" } } });

    // The Gateway API route, for clusters that moved off the retired ingress-nginx.
    const route = find(ms, "GRPCRoute");
    expect(route.spec.parentRefs).toEqual([{ name: "public", namespace: "gateway", sectionName: "https" }]);
    expect(route.spec.hostnames).toEqual(["todo.example.com"]);
    expect(route.spec.rules).toEqual([{ backendRefs: [{ name: "rel-todo", port: 8080 }] }]);

    // The web API and page: their own host, to the HTTP port, only their paths (never /metrics or the probes).
    const web = ms.find((m) => m.kind === "Ingress" && m.metadata.name === "rel-todo-web")!;
    expect(web.metadata.annotations!["nginx.ingress.kubernetes.io/backend-protocol"]).toBe("HTTP");
    expect(web.metadata.annotations!["nginx.ingress.kubernetes.io/proxy-buffering"]).toBe("off");
    expect(web.spec.tls).toEqual([{ secretName: "todo-web-tls", hosts: ["todo-web.example.com"] }]);
    const webPaths = web.spec.rules[0].http.paths;
    expect(webPaths.map((p: any) => `${p.pathType} ${p.path}`)).toEqual([
      "Prefix /v1",
      "Prefix /todo.v1.TodoService",
      "Prefix /todo.v1.ServerInfoService",
      "Exact /openapi.json",
      // Every file of the page, and nothing else of the HTTP port.
      ...[...PAGE_FILES.keys()].map((path) => `Exact ${path}`),
    ]);
    expect(new Set(webPaths.map((p: any) => JSON.stringify(p.backend)))).toEqual(new Set([JSON.stringify({ service: { name: "rel-todo", port: { name: "http" } } })]));
    const httpRoute = find(ms, "HTTPRoute");
    expect(httpRoute.spec.hostnames).toEqual(["todo-web.example.com"]);
    expect(httpRoute.spec.rules[0].matches.map((m: any) => `${m.path.type} ${m.path.value}`)).toEqual(webPaths.map((p: any) => `${p.pathType === "Prefix" ? "PathPrefix" : "Exact"} ${p.path}`));
    expect(httpRoute.spec.rules[0].backendRefs).toEqual([{ name: "rel-todo", port: 8081 }]);
    expect(env(ms)).toMatchObject({ TODO_CORS_ORIGINS: "https://app.example.com,https://admin.example.com" });

    const hpa = find(ms, "HorizontalPodAutoscaler");
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "rel-todo" });
    expect(hpa.spec.metrics.map((m: any) => m.resource.name)).toEqual(["cpu", "memory"]);
    expect(find(ms, "Deployment").spec.replicas).toBeUndefined(); // the HPA owns it

    expect(find(ms, "PodDisruptionBudget").spec).toEqual({ minAvailable: 1, selector: find(ms, "Deployment").spec.selector });
    const sm = find(ms, "ServiceMonitor");
    expect(sm.metadata.labels!.release).toBe("kube-prometheus-stack");
    expect(sm.spec.endpoints).toEqual([{ port: "http", path: "/metrics", interval: "30s", scrapeTimeout: "10s" }]);
    // It selects the daemon's Service by that Service's labels.
    const svcLabels = find(ms, "Service").metadata.labels!;
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) expect(svcLabels[k]).toBe(v as string);

    expect(container(ms).image).toBe(`ghcr.io/example/todo:0.1.0@sha256:${"0".repeat(64)}`);
    expect(container(ms).startupProbe.httpGet.path).toBe("/healthz");
    expect(find(ms, "Deployment").spec.template.spec.topologySpreadConstraints[0].labelSelector.matchLabels).toEqual(find(ms, "Deployment").spec.selector.matchLabels);
  });

  test("MONGO_URL comes from the chart's Secret (mongo.url), an existing Secret, or the in-release MongoDB", () => {
    // mongo.url: a Secret made by the chart, and a checksum that rolls the pods when it changes.
    const ms = render([ALL]);
    const secret = find(ms, "Secret", "rel-todo-mongo");
    expect(secret.stringData.MONGO_URL).toStartWith("mongodb://todo:s3cret@");
    expect(env(ms).MONGO_URL).toEqual({ secretKeyRef: { name: "rel-todo-mongo", key: "MONGO_URL" } });
    expect(env(ms).MONGO_DB).toBe("todo");
    expect(JSON.stringify(find(ms, "Deployment").spec.template.spec.containers)).not.toContain("s3cret");
    const checksum = find(ms, "Deployment").spec.template.metadata.annotations["checksum/mongo-secret"];
    expect(checksum).toMatch(/^[0-9a-f]{64}$/);
    const changed = render([ALL], ["mongo.url=mongodb://other:27017/todo"]);
    expect(find(changed, "Deployment").spec.template.metadata.annotations["checksum/mongo-secret"]).not.toBe(checksum);

    // An existing Secret: nothing made, the reference points at it.
    const existing = render([], ["mongo.existingSecret=db-credentials", "mongo.existingSecretKey=uri", "replicaCount=2"]);
    expect(existing.filter((m) => m.kind === "Secret").map((m) => m.metadata.name)).toEqual(["rel-todo-auth"]);
    expect(env(existing).MONGO_URL).toEqual({ secretKeyRef: { name: "db-credentials", key: "uri" } });
    expect(find(existing, "Deployment").spec.replicas).toBe(2);
  });

  test("EVENTS_URL comes from the chart's Secret (events.url) or an existing Secret; no relay without one", () => {
    expect(env(render()).EVENTS_URL).toBeUndefined();
    const ms = render([], ["events.url=amqp://todo:s3cret@rabbitmq:5672"]);
    expect(find(ms, "Secret", "rel-todo-events").stringData.EVENTS_URL).toBe("amqp://todo:s3cret@rabbitmq:5672");
    expect(env(ms)).toMatchObject({ EVENTS_URL: { secretKeyRef: { name: "rel-todo-events", key: "EVENTS_URL" } }, EVENTS_STREAM: "todo.events", EVENTS_FORMAT: "protobuf" });
    expect(JSON.stringify(find(ms, "Deployment").spec.template.spec.containers)).not.toContain("s3cret");
    expect(find(ms, "Deployment").spec.template.metadata.annotations["checksum/events-secret"]).toMatch(/^[0-9a-f]{64}$/);
    const all = render([ALL]);
    expect(env(all)).toMatchObject({ EVENTS_URL: { secretKeyRef: { name: "rabbitmq-credentials", key: "url" } }, EVENTS_FORMAT: "json" });
    expect(renderError([], ["events.url=http://rabbitmq"])).toContain("events");
    expect(renderError([], ["events.format=xml"])).toContain("format");
  });

  test("mongodb.enabled: a StatefulSet of the official image, its root password and the daemon's URL in one Secret", () => {
    const ms = render([MONGODB]);
    const sts = find(ms, "StatefulSet", "rel-todo-mongodb");
    expect(sts.spec.template.spec.containers[0].image).toBe("mongo:8.0");
    const secret = find(ms, "Secret", "rel-todo-mongodb");
    expect(secret.stringData.MONGO_INITDB_ROOT_PASSWORD).toBe("p@ss/word");
    // The password is URL-encoded in the connection string.
    expect(secret.stringData.MONGO_URL).toBe("mongodb://root:p%40ss%2Fword@rel-todo-mongodb:27017/todo?authSource=admin");
    expect(env(ms).MONGO_URL).toEqual({ secretKeyRef: { name: "rel-todo-mongodb", key: "MONGO_URL" } });
    // The daemon's Service must not select MongoDB's pod (they share name and instance labels).
    const mongoPodLabels = sts.spec.template.metadata.labels;
    const selector = find(ms, "Service", "rel-todo").spec.selector;
    expect(Object.entries(selector).every(([k, v]) => mongoPodLabels[k] === v)).toBe(false);
    // Without a password in values, one is generated.
    const generated = find(render([], ["mongodb.enabled=true"]), "Secret", "rel-todo-mongodb").stringData.MONGO_INITDB_ROOT_PASSWORD;
    expect(generated).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  test("persistence: a kept PersistentVolumeClaim for /data and the Recreate strategy", () => {
    const ms = render([PERSISTENCE]);
    const pvc = find(ms, "PersistentVolumeClaim", "rel-todo-data");
    expect(pvc.metadata.annotations!["helm.sh/resource-policy"]).toBe("keep");
    expect(pvc.spec).toMatchObject({ accessModes: ["ReadWriteOnce"], storageClassName: "standard", resources: { requests: { storage: "2Gi" } } });
    const d = find(ms, "Deployment");
    expect(d.spec.strategy).toEqual({ type: "Recreate" });
    expect(d.spec.template.spec.volumes.find((v: any) => v.name === "data").persistentVolumeClaim).toEqual({ claimName: "rel-todo-data" });
  });

  test("refuses broken settings", () => {
    expect(renderError([], ["replicaCount=2"])).toContain("need MongoDB");
    expect(renderError([], ["autoscaling.enabled=true"])).toContain("need MongoDB");
    expect(renderError([], ["mongo.url=mongodb://a/b", "mongo.existingSecret=s"])).toContain("not both");
    expect(renderError([], ["mongodb.enabled=true", "mongo.url=mongodb://a/b"])).toContain("mongodb.enabled");
    expect(renderError([], ["grpcRoute.enabled=true"])).toContain("grpcRoute.parentRefs");
    expect(renderError([], ["web.httpRoute.enabled=true"])).toContain("web.httpRoute.parentRefs");
    expect(renderError([], ["web.ingress.enabled=true", "web.enabled=false"])).toContain("needs web.enabled");
    expect(renderError([], ["web.corsOrigins={https://app.example.com/path}"])).toContain("corsOrigins");
    // values.schema.json: unknown keys and wrong types.
    expect(renderError([], ["replicas=2"])).toContain("replicas");
    expect(renderError([], ["config.logFormat=xml"])).toContain("logFormat");
  });

  test("NOTES explain how to reach the daemon", () => {
    // `helm template` never renders NOTES.txt (and `helm install --dry-run` has no --kube-version, while a
    // helm built by `go install` assumes Kubernetes 1.20): a copy of the chart renders it into a manifest.
    const copy = mkdtempSync(join(tmpdir(), "todo-chart-"));
    try {
      cpSync(CHART, copy, { recursive: true });
      writeFileSync(join(copy, "templates/zz-notes.yaml"), 'notes: |\n{{ include (print $.Template.BasePath "/NOTES.txt") . | indent 2 }}\n');
      const notes = (values: string[]) =>
        (Bun.YAML.parse(runOk([helm!, "template", "rel", copy, "--namespace", "apps", "--kube-version", KUBERNETES_VERSION, ...values.flatMap((f) => ["-f", f]), "--show-only", "templates/zz-notes.yaml"])) as { notes: string }).notes;
      const ingress = notes([ALL]);
      expect(ingress).toContain("kubectl -n apps create secret tls todo-tls --key tls.key --cert tls.crt");
      expect(ingress).toContain("todo search --addr todo.example.com:443 --tls --ca tls.crt");
      const local = notes([]);
      expect(local).toContain("kubectl -n apps port-forward svc/rel-todo 8080:8080 8081:8081");
      expect(local).toContain("the todos go with the pod");
      expect(notes([MONGODB])).toContain("Store: the release's MongoDB (rel-todo-mongodb)");
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!helm || !kubeconform || !go)(`Kubernetes ${KUBERNETES_VERSION} API schema (kubeconform, strict, offline)`, () => {
  const valueSets: [string, string[]][] = [["default values", []], ...ciValues.map((f): [string, string[]] => [f, [join(CHART, "ci", f)]])];

  function validate(manifests: string, schemas: string) {
    return run([kubeconform!, "-strict", "-summary", "-output", "json", "-kubernetes-version", KUBERNETES_VERSION, "-schema-location", schemas, "-"], { stdin: manifests });
  }

  test.each(valueSets)("%s: every rendered resource is valid", (_name, values) => {
    const schemas = ensureSchemas(go!);
    const r = validate(renderText(values), schemas);
    const report = JSON.parse(r.stdout);
    expect({ code: r.code, resources: report.resources }).toEqual({ code: 0, resources: [] });
    expect(report.summary.valid).toBeGreaterThanOrEqual(3);
    expect(report.summary.skipped).toBe(0);
  }, 120_000);

  test("the schemas are strict: a misspelt field and a wrong type are rejected", () => {
    const schemas = ensureSchemas(go!);
    const d = render().find((m) => m.kind === "Deployment")!;
    const typo = structuredClone(d);
    typo.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem = true;
    const wrongType = structuredClone(d);
    wrongType.spec.template.spec.terminationGracePeriodSeconds = "thirty";
    for (const bad of [typo, wrongType]) {
      const r = validate(JSON.stringify(bad), schemas);
      expect(r.code).not.toBe(0);
      expect(JSON.parse(r.stdout).summary.invalid).toBe(1);
    }
  }, 120_000);
});
