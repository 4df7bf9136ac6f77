{{- define "minihub.labels" -}}
app: minihub
release: {{ .Release.Name }}
chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}

{{- /* Like z2jh: keep a generated secret stable across upgrades by reading it back from the cluster. */}}
{{- define "minihub.cookieSecret" -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace "hub" | default (dict "data" (dict)) }}
{{- if hasKey $existing.data "hub.cookie-secret" }}
{{- index $existing.data "hub.cookie-secret" | b64dec }}
{{- else }}
{{- randAlphaNum 64 }}
{{- end }}
{{- end }}
