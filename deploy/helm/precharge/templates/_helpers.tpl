{{/* Names: <release>-precharge unless the release is already called that. */}}
{{- define "precharge.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "precharge.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one component (api, worker, migrations): pass (list $ "api"). */}}
{{- define "precharge.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ $root.Chart.Name }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/* The one image, pinned: a tag other than latest, or a digest. */}}
{{- define "precharge.image" -}}
{{- $tag := required "image.tag is required (pin the image: a version, never latest)" .Values.image.tag | toString -}}
{{- if eq $tag "latest" -}}
{{- fail "image.tag must pin a version: latest is refused" -}}
{{- end -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "precharge.secretName" -}}
{{- required "secret.existingSecret is required: the Secret holding DATABASE_URL, SMTP_URL, PAYLOAD_KEYS, SESSION_SECRET… (never values in values.yaml)" .Values.secret.existingSecret -}}
{{- end -}}

{{/* Variables only the Secret may carry; `config` refuses them. */}}
{{- define "precharge.secretVariables" -}}
DATABASE_URL SMTP_URL PAYLOAD_KEYS SESSION_SECRET JWT_SECRET OIDC_CLIENT_SECRET OIDC_CLIENT_SECRETS METRICS_TOKEN
{{- end -}}

{{/* One variable from the Secret: pass (list $ entry), entry one of secret.variables. */}}
{{- define "precharge.secretEnvVar" -}}
{{- $root := index . 0 -}}
{{- $var := index . 1 -}}
- name: {{ $var.name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "precharge.secretName" $root }}
      key: {{ default $var.name $var.key }}
      {{- if $var.optional }}
      optional: true
      {{- end }}
{{- end -}}

{{/* Only DATABASE_URL from the Secret: the migration job needs nothing else. */}}
{{- define "precharge.databaseUrlEnv" -}}
{{- $found := false -}}
{{- range .Values.secret.variables -}}
{{- if eq .name "DATABASE_URL" -}}
{{- $found = true -}}
{{- include "precharge.secretEnvVar" (list $ .) -}}
{{- end -}}
{{- end -}}
{{- if not $found -}}
{{- fail "secret.variables must list DATABASE_URL" -}}
{{- end -}}
{{- end -}}

{{/* The environment of the API and the worker: the ConfigMap, then every variable from the Secret. */}}
{{- define "precharge.env" -}}
envFrom:
  - configMapRef:
      name: {{ include "precharge.fullname" . }}
env:
{{- range .Values.secret.variables }}
{{- include "precharge.secretEnvVar" (list $ .) | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "precharge.policyVolume" -}}
{{- if .Values.policy.existingConfigMap -}}
- name: policy
  configMap:
    name: {{ .Values.policy.existingConfigMap }}
{{- end }}
{{- end -}}

{{- define "precharge.policyMount" -}}
{{- if .Values.policy.existingConfigMap -}}
- name: policy
  mountPath: {{ .Values.policy.mountPath }}
  readOnly: true
{{- end }}
{{- end -}}

{{- define "precharge.podCommon" -}}
serviceAccountName: {{ include "precharge.fullname" . }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
