{{- define "hub.labels" -}}
app: jupyterhub
release: {{ .Release.Name }}
chart: {{ .Chart.Name }}-{{ .Chart.Version }}
heritage: {{ .Release.Service }}
{{- end }}

{{- define "hub.singleuserImage" -}}
{{ .Values.singleuser.image.name }}:{{ .Values.singleuser.image.tag }}
{{- end }}
