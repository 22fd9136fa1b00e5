{{/* Chart name, truncated to 63 characters (the DNS label limit). */}}
{{- define "kube-reflect.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: the release name, with the chart name unless it already contains it. */}}
{{- define "kube-reflect.fullname" -}}
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

{{- define "kube-reflect.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Standard labels on every object. */}}
{{- define "kube-reflect.labels" -}}
helm.sh/chart: {{ include "kube-reflect.chart" . }}
{{ include "kube-reflect.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: controller
app.kubernetes.io/part-of: kube-reflect
{{- end }}

{{/* Selector labels: name and instance only, so they never change on upgrade. */}}
{{- define "kube-reflect.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kube-reflect.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "kube-reflect.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "kube-reflect.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The mirrored kinds as {group, resource, flag}: "secrets" and "configmaps" by name, others as {group, resource}.
Returned as YAML (a list under "kinds") for fromYaml.
*/}}
{{- define "kube-reflect.kinds" -}}
kinds:
{{- if not (include "kube-reflect.autoKinds" .) }}
{{- range .Values.kinds }}
{{- if kindIs "string" . }}
{{- if not (has . (list "secrets" "configmaps")) }}
{{- fail (printf "kinds: %q is not known by name; give it as {group, resource}" .) }}
{{- end }}
  - group: ""
    resource: {{ . }}
    flag: {{ . }}
{{- else }}
{{- $group := .group | default "" }}
  - group: {{ $group | quote }}
    resource: {{ .resource }}
    flag: {{ if $group }}{{ printf "%s.%s" .resource $group }}{{ else }}{{ .resource }}{{ end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* True (non-empty) with `kinds: auto`: every namespaced kind discovery finds, so RBAC cannot name them in advance. */}}
{{- define "kube-reflect.autoKinds" -}}
{{- if and (kindIs "string" .Values.kinds) (eq .Values.kinds "auto") }}true{{ end }}
{{- end }}

{{/* RBAC rules for the mirrored kinds (read and write, nothing else) and for Events. */}}
{{- define "kube-reflect.kindRules" -}}
{{- if include "kube-reflect.autoKinds" . }}
# kinds: auto. The kinds are discovered at run time (new CRDs too), so RBAC cannot list them: read and write on
# every resource of every group, as KubeMirror's chart grants. See docs/install.md for what this grants.
- apiGroups: ["*"]
  resources: ["*"]
  verbs: [get, list, watch, create, patch, update, delete]
{{- end }}
{{- range (include "kube-reflect.kinds" . | fromYaml).kinds }}
- apiGroups: [{{ .group | quote }}]
  resources: [{{ .resource }}]
  verbs: [get, list, watch, create, patch, update, delete]
{{- end }}
{{- if and (or (include "kube-reflect.accessKinds" .) (include "kube-reflect.autoKinds" .)) .Values.accessKindSourceNamespaces }}
# Mirroring Roles and RoleBindings: the API server lets us write a Role or RoleBinding only with these verbs.
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles, clusterroles]
  verbs: [bind, escalate]
{{- end }}
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create, patch]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
{{- include "kube-reflect.crossClusterRules" . }}
{{- end }}

{{/* Local rules of cross-cluster sync: the synced types, Namespaces it creates (and deletes, if it created them), Secret hashes. */}}
{{- define "kube-reflect.crossClusterRules" -}}
{{- if .Values.crossCluster.enabled }}
{{- range .Values.crossCluster.syncResources }}
{{- $parts := splitList "/" . }}
- apiGroups: [{{ if eq (len $parts) 2 }}""{{ else }}{{ index $parts 0 | quote }}{{ end }}]
  resources: [{{ last $parts }}]
  verbs: [get, list, watch, create, update]
{{- end }}
- apiGroups: [""]
  resources: [namespaces]
  verbs: [create, delete]
{{- if .Values.crossCluster.localSecretNames }}
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch, patch]
{{- end }}
{{- end }}
{{- end }}

{{/* The --kinds flag. */}}
{{- define "kube-reflect.kindsFlag" -}}
{{- if include "kube-reflect.autoKinds" . }}auto{{ end }}
{{- $flags := list }}
{{- range (include "kube-reflect.kinds" . | fromYaml).kinds }}
{{- $flags = append $flags .flag }}
{{- end }}
{{- join "," $flags }}
{{- end }}

{{/* The controller image; installing without one fails with instructions (no public registry publishes it). */}}
{{- define "kube-reflect.image" -}}
{{- if not .Values.image.repository }}
{{- fail "image.repository is not set: no public registry publishes kube-reflect's image. Build it with `npm run image`, push it to your registry (docs/install.md), then install with --set image.repository=<registry>/kube-reflect" }}
{{- end }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* True (non-empty) when `kinds` includes a kind that grants access: Roles, RoleBindings, ServiceAccounts. */}}
{{- define "kube-reflect.accessKinds" -}}
{{- range (include "kube-reflect.kinds" . | fromYaml).kinds }}
{{- if or (and (eq .group "rbac.authorization.k8s.io") (has .resource (list "roles" "rolebindings"))) (and (eq .group "") (eq .resource "serviceaccounts")) }}{{ .resource }} {{ end }}
{{- end }}
{{- end }}
