{{- define "jupyterhub.labels" -}}
app: jupyterhub
release: {{ .Release.Name }}
chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}

{{- define "jupyterhub.singleuserImage" -}}
{{ .Values.singleuser.image.name }}:{{ .Values.singleuser.image.tag }}
{{- end }}
