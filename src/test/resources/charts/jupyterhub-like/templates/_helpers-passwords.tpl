{{- /* Like z2jh: a generated secret is kept stable across upgrades by reading it back from the cluster. */}}
{{- define "jupyterhub.hub.cookieSecret" -}}
{{- if .Values.hub.cookieSecret }}
{{- .Values.hub.cookieSecret }}
{{- else }}
{{- $existing := lookup "v1" "Secret" .Release.Namespace "hub" }}
{{- if and $existing (hasKey (default dict $existing.data) "hub.config.CookieSecret") }}
{{- index $existing.data "hub.config.CookieSecret" | b64dec }}
{{- else }}
{{- randAlphaNum 64 }}
{{- end }}
{{- end }}
{{- end }}
