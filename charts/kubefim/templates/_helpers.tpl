{{/*
Names. With the release called "kubefim" every object is "kubefim-<component>", the names the
operator and agents assume by default (kubefim-config-service, kubefim-ingest-service).
*/}}
{{- define "kubefim.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kubefim.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "kubefim.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Component object names. */}}
{{- define "kubefim.operator.fullname" -}}{{ include "kubefim.fullname" . }}-operator{{- end }}
{{- define "kubefim.configService.fullname" -}}{{ include "kubefim.fullname" . }}-config-service{{- end }}
{{- define "kubefim.ingestService.fullname" -}}{{ include "kubefim.fullname" . }}-ingest-service{{- end }}
{{- define "kubefim.tls.secretName" -}}{{ default (printf "%s-tls" (include "kubefim.fullname" .)) .Values.tls.secretName }}{{- end }}

{{/*
Labels. Call with (dict "ctx" $ "component" "operator").
*/}}
{{- define "kubefim.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kubefim.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "kubefim.labels" -}}
helm.sh/chart: {{ include "kubefim.chart" .ctx }}
{{ include "kubefim.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: kubefim
{{- with .ctx.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
An image reference from {repository, tag, digest}; the tag defaults to the appVersion.
Call with (dict "ctx" $ "image" .Values.operator.image).
*/}}
{{- define "kubefim.image" -}}
{{- if .image.digest -}}
{{ .image.repository }}@{{ .image.digest }}
{{- else -}}
{{ .image.repository }}:{{ default .ctx.Chart.AppVersion .image.tag }}
{{- end -}}
{{- end }}

{{/* http or https, by tls.enabled. */}}
{{- define "kubefim.scheme" -}}{{ ternary "https" "http" .Values.tls.enabled }}{{- end }}

{{- define "kubefim.configService.url" -}}
{{ include "kubefim.scheme" . }}://{{ include "kubefim.configService.fullname" . }}.{{ .Release.Namespace }}.svc:{{ .Values.configService.port }}
{{- end }}

{{- define "kubefim.ingestService.url" -}}
{{ include "kubefim.scheme" . }}://{{ include "kubefim.ingestService.fullname" . }}.{{ .Release.Namespace }}.svc:{{ .Values.ingestService.port }}
{{- end }}

{{- define "kubefim.agent.priorityClassName" -}}
{{- if .Values.agent.priorityClassName -}}
{{ .Values.agent.priorityClassName }}
{{- else if .Values.agent.priorityClass.create -}}
{{ include "kubefim.fullname" . }}-agent
{{- end -}}
{{- end }}

{{/*
Security contexts of the three services: non-root (UID 185, the ubi9 OpenJDK runtime's user),
read-only root filesystem, no privilege escalation, no capabilities, RuntimeDefault seccomp.
*/}}
{{- define "kubefim.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 185
runAsGroup: 185
fsGroup: 185
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "kubefim.containerSecurityContext" -}}
runAsNonRoot: true
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
Quarkus HTTP(S) settings for a service on .port. With TLS the service serves HTTPS on its usual
port from the mounted Secret and refuses plain HTTP. Call with (dict "ctx" $ "port" 8081).
*/}}
{{- define "kubefim.httpEnv" -}}
- name: QUARKUS_HTTP_PORT
  value: {{ .port | quote }}
{{- if .ctx.Values.tls.enabled }}
- name: QUARKUS_HTTP_SSL_PORT
  value: {{ .port | quote }}
- name: QUARKUS_HTTP_SSL_CERTIFICATE_FILES
  value: /etc/kubefim/tls/tls.crt
- name: QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES
  value: /etc/kubefim/tls/tls.key
- name: QUARKUS_HTTP_SSL_CERTIFICATE_RELOAD_PERIOD
  value: {{ .ctx.Values.tls.reloadPeriod | quote }}
- name: QUARKUS_HTTP_INSECURE_REQUESTS
  value: disabled
{{- end }}
{{- end }}

{{/* Volumes every service has: a scratch /tmp, and the TLS Secret when enabled. */}}
{{- define "kubefim.commonVolumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 128Mi
{{- if .Values.tls.enabled }}
- name: tls
  secret:
    secretName: {{ include "kubefim.tls.secretName" . }}
    defaultMode: 0440
{{- end }}
{{- end }}

{{- define "kubefim.commonVolumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.tls.enabled }}
- name: tls
  mountPath: /etc/kubefim/tls
  readOnly: true
{{- end }}
{{- end }}

{{/* Liveness, readiness and startup probes on the Quarkus health endpoints. Call with (dict "tls" bool). */}}
{{- define "kubefim.probes" -}}
startupProbe:
  httpGet:
    path: /q/health/live
    port: http
    scheme: {{ ternary "HTTPS" "HTTP" .tls }}
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet:
    path: /q/health/live
    port: http
    scheme: {{ ternary "HTTPS" "HTTP" .tls }}
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /q/health/ready
    port: http
    scheme: {{ ternary "HTTPS" "HTTP" .tls }}
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 3
{{- end }}

{{/*
topologySpreadConstraints with the component's labelSelector filled in where left out.
Call with (dict "ctx" $ "component" "ingest-service" "constraints" .Values.ingestService.topologySpreadConstraints).
*/}}
{{- define "kubefim.topologySpread" -}}
{{- $selector := fromYaml (include "kubefim.selectorLabels" (dict "ctx" .ctx "component" .component)) }}
{{- range .constraints }}
- {{ toYaml (merge (deepCopy .) (dict "labelSelector" (dict "matchLabels" $selector))) | indent 2 | trim }}
{{- end }}
{{- end }}
