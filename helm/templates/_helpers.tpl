{{/* Chart name, at most 63 characters (a DNS label). */}}
{{- define "todo.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: release-chart, or the release name alone when it already contains the chart name. */}}
{{- define "todo.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "todo.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "todo.selectorLabels" -}}
app.kubernetes.io/name: {{ include "todo.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The daemon's pods (distinct from the optional MongoDB's, which share name and instance). */}}
{{- define "todo.serverSelectorLabels" -}}
{{ include "todo.selectorLabels" . }}
app.kubernetes.io/component: server
{{- end }}

{{- define "todo.labels" -}}
helm.sh/chart: {{ include "todo.chart" . }}
{{ include "todo.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: todo
{{- end }}

{{- define "todo.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "todo.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "todo.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s:%s@%s" .Values.image.repository $tag .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/* The in-release MongoDB's resource name. */}}
{{- define "todo.mongodb.fullname" -}}
{{- printf "%s-mongodb" (include "todo.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Whether the daemon uses MongoDB (so several replicas may share the data). */}}
{{- define "todo.usesMongo" -}}
{{- if or .Values.mongo.existingSecret .Values.mongo.url .Values.mongodb.enabled }}true{{- end }}
{{- end }}

{{/* The Secret and key holding MONGO_URL, or nothing for the embedded store. */}}
{{- define "todo.mongoSecretName" -}}
{{- if .Values.mongo.existingSecret }}
{{- .Values.mongo.existingSecret }}
{{- else if .Values.mongo.url }}
{{- printf "%s-mongo" (include "todo.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- else if .Values.mongodb.enabled }}
{{- /* One Secret holds the in-release MongoDB's root password and the URL built from it. */}}
{{- include "todo.mongodb.fullname" . }}
{{- end }}
{{- end }}

{{- define "todo.mongoSecretKey" -}}
{{- if .Values.mongo.existingSecret }}{{ .Values.mongo.existingSecretKey }}{{ else }}MONGO_URL{{ end }}
{{- end }}

{{/* The in-release MongoDB's root password: from values, else the one already in the cluster, else new. */}}
{{- define "todo.mongodb.rootPassword" -}}
{{- if .Values.mongodb.auth.rootPassword }}
{{- .Values.mongodb.auth.rootPassword }}
{{- else }}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "todo.mongodb.fullname" .) }}
{{- if and $existing $existing.data (index $existing.data "MONGO_INITDB_ROOT_PASSWORD") }}
{{- index $existing.data "MONGO_INITDB_ROOT_PASSWORD" | b64dec }}
{{- else }}
{{- randAlphaNum 32 }}
{{- end }}
{{- end }}
{{- end }}

{{/* The Secret holding the token file: an existing one, or the chart's. */}}
{{- define "todo.authSecretName" -}}
{{- .Values.auth.existingSecret | default (printf "%s-auth" (include "todo.fullname" .) | trunc 63 | trimSuffix "-") }}
{{- end }}

{{/* The chart's token file: the one already in the cluster (so upgrades keep it), else a random admin token. */}}
{{- define "todo.authTokens" -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "todo.authSecretName" .) }}
{{- if and $existing $existing.data (index $existing.data "tokens") }}
{{- index $existing.data "tokens" | b64dec }}
{{- else }}
{{- printf "admin:%s\n" (randAlphaNum 48) }}
{{- end }}
{{- end }}

{{/* Refuses settings that would deploy something broken. */}}
{{- define "todo.validate" -}}
{{- $drain := int .Values.config.drainSeconds }}
{{- $stop := int .Values.preStopSleepSeconds }}
{{- if le (int .Values.terminationGracePeriodSeconds) (add $drain $stop) }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed preStopSleepSeconds (%d) + config.drainSeconds (%d), or in-flight calls are killed" (int .Values.terminationGracePeriodSeconds) $stop $drain) }}
{{- end }}
{{- if and (not (include "todo.usesMongo" .)) (or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1)) }}
{{- fail "several replicas (replicaCount > 1 or autoscaling) need MongoDB: set mongo.url, mongo.existingSecret or mongodb.enabled; each pod would otherwise keep its own SQLite store" }}
{{- end }}
{{- if and .Values.mongo.existingSecret .Values.mongo.url }}
{{- fail "set mongo.url or mongo.existingSecret, not both" }}
{{- end }}
{{- if and .Values.tls.clientCertificates (not .Values.tls.existingSecret) }}
{{- fail "tls.clientCertificates needs tls.existingSecret (its ca.crt signs the client certificates)" }}
{{- end }}
{{- if and .Values.mongodb.enabled (or .Values.mongo.existingSecret .Values.mongo.url) }}
{{- fail "mongodb.enabled deploys a MongoDB for the release; leave mongo.url and mongo.existingSecret empty with it" }}
{{- end }}
{{- end }}

{{/* The Secret and key holding EVENTS_URL, or nothing without a relay. */}}
{{- define "todo.eventsSecretName" -}}
{{- if .Values.events.existingSecret }}
{{- .Values.events.existingSecret }}
{{- else if .Values.events.url }}
{{- printf "%s-events" (include "todo.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "todo.eventsSecretKey" -}}
{{- if .Values.events.existingSecret }}{{ .Values.events.existingSecretKey }}{{ else }}EVENTS_URL{{ end }}
{{- end }}

{{/*
The HTTP port's paths the web Ingress and HTTPRoute route, as "path pathType" lines: the REST routes, the
Connect and gRPC-Web services, the OpenAPI document, and the page's files (src/web/page.ts) when it is on.
/metrics, /healthz and /readyz are never among them.
*/}}
{{- define "todo.webPaths" -}}
/v1 Prefix
/todo.v1.TodoService Prefix
/todo.v1.ServerInfoService Prefix
/openapi.json Exact
{{- if .Values.web.page }}
/ Exact
/app.js Exact
/api.js Exact
/app.css Exact
/icon.svg Exact
{{- end }}
{{- end }}
