{{- define "iiot.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* 52 characters at most: "-pods" is appended for the headless Service, and a
     StatefulSet's pods carry a controller-revision-hash label of its name plus 11. */}}
{{- define "iiot.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* fleet.devices: every slice's devices. */}}
{{- define "iiot.fleetDevices" -}}
{{- mul (int64 .Values.fleet.maxSlices) (int64 .Values.fleet.sliceDevices) -}}
{{- end -}}

{{- define "iiot.labels" -}}
app.kubernetes.io/name: {{ include "iiot.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "iiot.selector" -}}
app.kubernetes.io/name: {{ include "iiot.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "iiot.serviceAccount" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "iiot.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}
