{{- define "modelprefetch.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* "modelprefetch" for a release named modelprefetch: the names the operator's defaults expect. */}}
{{- define "modelprefetch.fullname" -}}
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

{{- define "modelprefetch.webhookServiceName" -}}
{{- printf "%s-webhook" (include "modelprefetch.fullname" .) }}
{{- end }}

{{- define "modelprefetch.webhookSecretName" -}}
{{- if .Values.webhook.certManager.enabled }}
{{- printf "%s-webhook-cert" (include "modelprefetch.fullname" .) }}
{{- else }}
{{- printf "%s-webhook-tls" (include "modelprefetch.fullname" .) }}
{{- end }}
{{- end }}

{{- define "modelprefetch.operatorName" -}}
{{- printf "%s-operator" (include "modelprefetch.fullname" .) }}
{{- end }}

{{- define "modelprefetch.selectorLabels" -}}
app.kubernetes.io/name: {{ include "modelprefetch.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "modelprefetch.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "modelprefetch.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* repository:tag or repository@digest; the tag defaults to the appVersion. */}}
{{- define "modelprefetch.image" -}}
{{- $img := index . 0 }}{{- $root := index . 1 }}
{{- if $img.digest }}
{{- printf "%s@%s" $img.repository $img.digest }}
{{- else }}
{{- printf "%s:%s" $img.repository (default $root.Chart.AppVersion $img.tag) }}
{{- end }}
{{- end }}

{{/* The documents of a multi-document file under files/, parsed. */}}
{{- define "modelprefetch.yamlDocs" -}}
{{- $docs := list }}
{{- range $text := regexSplit "(?m)^---\\s*$" . -1 }}
{{- $doc := fromYaml $text }}
{{- if $doc.kind }}{{ $docs = append $docs $doc }}{{ end }}
{{- end }}
{{- toJson $docs }}
{{- end }}
