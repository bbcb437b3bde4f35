/* schema_tables.c: the fields rehearse knows, per type, as data.
 *
 * One line per type: "<group> <Type> <field>:<type> ...". A field marked
 * "!" is required. Field types:
 *   s string     i integer      b boolean      n number
 *   x int-or-string (ports, counts Argo takes either way)
 *   v any scalar (Argo's AnyString: parameter values may be 1, true, "x")
 *   q quantity (a number or a string such as 500m or 120Gi)
 *   a anything (a part rehearse does not model; its fields are not checked)
 *   T another type of this table  [T] a list of T   {T} a map of T
 * Groups name where the type lives, for the test that cross-checks these
 * tables against Argo's published schema (tests/unit/test_schema_tables.c):
 *   argo  io.argoproj.workflow.v1alpha1     core io.k8s.api.core.v1
 *   meta  io.k8s.apimachinery.pkg.apis.meta.v1
 *   k8s   Kubernetes objects that schema does not describe (Service,
 *         StatefulSet, ...): from the Kubernetes API reference.
 * Where Argo's Go types and the published schema disagree, the Go types
 * win (the schema types IntOrString fields as strings, parameter values as
 * strings); such fields carry x or v here. Where Argo's validator accepts
 * what the schema calls required, the validator wins: a script's image may
 * come from spec.templateDefaults, and a script may have no source (Argo's
 * own validate_test accepts both); tmpl-image-missing checks the image.
 *
 * Enumerations: "<Type>.<field>=<value>|<value>..." (an empty value allows
 * the empty string). */
#include "validate/schema.h"

const char *const schema_type_lines[] = {
	/* Argo documents */
	"argo Workflow apiVersion:s kind:s metadata:ObjectMeta spec!:WorkflowSpec status:a",
	"argo WorkflowTemplate apiVersion:s kind:s metadata:ObjectMeta spec!:WorkflowSpec",
	"argo ClusterWorkflowTemplate apiVersion:s kind:s metadata:ObjectMeta spec!:WorkflowSpec",
	"argo CronWorkflow apiVersion:s kind:s metadata:ObjectMeta spec!:CronWorkflowSpec status:a",
	"argo CronWorkflowSpec concurrencyPolicy:s failedJobsHistoryLimit:i schedules!:[s] "
	"startingDeadlineSeconds:i stopStrategy:StopStrategy successfulJobsHistoryLimit:i suspend:b timezone:s "
	"when:s workflowMetadata:ObjectMeta workflowSpec!:WorkflowSpec",
	"argo StopStrategy expression!:s",
	"argo WorkflowSpec activeDeadlineSeconds:x affinity:Affinity archiveLogs:b arguments:Arguments "
	"artifactGC:WorkflowLevelArtifactGC artifactRepositoryRef:ArtifactRepositoryRef "
	"automountServiceAccountToken:b dnsConfig:a dnsPolicy:s entrypoint:s executor:ExecutorConfig "
	"executorPlugins:a hooks:{LifecycleHook} hostAliases:[HostAlias] hostNetwork:b "
	"imagePullSecrets:[LocalObjectReference] metrics:a nodeSelector:{s} onExit:s parallelism:x "
	"podDisruptionBudget:a podGC:PodGC podMetadata:Metadata podPriorityClassName:s "
	"podResources:ResourceRequirements podSpecPatch:s priority:i resourceClaims:a "
	"retryStrategy:RetryStrategy schedulerName:s securityContext:PodSecurityContext serviceAccountName:s "
	"shutdown:s suspend:b synchronization:a templateDefaults:Template templates:[Template] "
	"tolerations:[Toleration] ttlStrategy:TTLStrategy volumeClaimGC:VolumeClaimGC "
	"volumeClaimTemplates:[PersistentVolumeClaim] volumes:[Volume] workflowMetadata:WorkflowMetadata "
	"workflowTemplateRef:WorkflowTemplateRef",
	"argo WorkflowTemplateRef clusterScope:b name:s",
	"argo WorkflowMetadata annotations:{s} labels:{s} labelsFrom:a",
	"argo WorkflowLevelArtifactGC forceFinalizerRemoval:b podMetadata:Metadata podSpecPatch:s "
	"serviceAccountName:s strategy:s",
	"argo ArtifactRepositoryRef configMap:s key:s",
	"argo ExecutorConfig serviceAccountName:s",
	"argo PodGC deleteDelayDuration:s labelSelector:LabelSelector strategy:s",
	"argo TTLStrategy secondsAfterCompletion:x secondsAfterFailure:x secondsAfterSuccess:x",
	"argo VolumeClaimGC strategy:s",
	"argo Metadata annotations:{s} labels:{s}",
	"argo LifecycleHook arguments:Arguments expression:s template:s templateRef:TemplateRef",
	"argo TemplateRef clusterScope:b name:s template:s",
	"argo Arguments artifacts:[Artifact] parameters:[Parameter]",
	"argo Inputs artifacts:[Artifact] parameters:[Parameter]",
	"argo Outputs artifacts:[Artifact] exitCode:s parameters:[Parameter] result:s",
	"argo Parameter default:v description:s enum:[v] globalName:s name!:s value:v valueFrom:ValueFrom",
	"argo ValueFrom configMapKeyRef:ConfigMapKeySelector default:v event:s expression:s jqFilter:s "
	"jsonPath:s parameter:s path:s supplied:a",
	"argo Artifact archive:a archiveLogs:b artifactGC:a artifactory:a azure:a deleted:b from:s "
	"fromExpression:s gcs:a git:a globalName:s hdfs:a http:a mode:x name!:s optional:b oss:a path:s "
	"plugin:a raw:RawArtifact recurseMode:b s3:a subPath:s",
	"argo ArtifactLocation archiveLogs:b artifactory:a azure:a gcs:a git:a hdfs:a http:a oss:a plugin:a "
	"raw:RawArtifact s3:a",
	"argo RawArtifact data!:s",
	"argo Template activeDeadlineSeconds:x affinity:Affinity annotations:{s} archiveLocation:ArtifactLocation "
	"automountServiceAccountToken:b container:Container containerSet:ContainerSetTemplate daemon:b "
	"dag:DAGTemplate data:Data executor:ExecutorConfig failFast:b hostAliases:[HostAlias] http:HTTP "
	"initContainers:[UserContainer] inputs:Inputs memoize:Memoize metadata:Metadata metrics:a name:s "
	"nodeSelector:{s} outputs:Outputs parallelism:x pendingTimeout:s plugin:a "
	"podResources:ResourceRequirements podSpecPatch:s priorityClassName:s resource:ResourceTemplate "
	"resourceClaims:a retryStrategy:RetryStrategy schedulerName:s script:ScriptTemplate "
	"securityContext:PodSecurityContext serviceAccountName:s sidecars:[UserContainer] steps:[[WorkflowStep]] "
	"suspend:SuspendTemplate synchronization:a timeout:s tolerations:[Toleration] volumes:[Volume]",
	"argo DAGTemplate failFast:b target:s tasks!:[DAGTask]",
	"argo DAGTask arguments:Arguments continueOn:ContinueOn dependencies:[s] depends:s hooks:{LifecycleHook} "
	"inline:Template name!:s onExit:s template:s templateRef:TemplateRef when:s withItems:[a] withParam:s "
	"withSequence:Sequence",
	"argo WorkflowStep arguments:Arguments continueOn:ContinueOn hooks:{LifecycleHook} inline:Template name:s "
	"onExit:s template:s templateRef:TemplateRef when:s withItems:[a] withParam:s withSequence:Sequence",
	"argo ContinueOn error:b failed:b",
	"argo Sequence count:x end:x format:s start:x",
	"argo RetryStrategy affinity:a backoff:Backoff expression:s limit:x retryPolicy:s",
	"argo Backoff cap:s duration:x factor:x maxDuration:s",
	"argo ResourceTemplate action!:s failureCondition:s flags:[s] manifest:s manifestFrom:a mergeStrategy:s "
	"setOwnerReference:b successCondition:s",
	"argo ScriptTemplate args:[s] command:[s] env:[EnvVar] envFrom:[EnvFromSource] image:s "
	"imagePullPolicy:s lifecycle:a livenessProbe:Probe name:s ports:[ContainerPort] readinessProbe:Probe "
	"resizePolicy:a resources:ResourceRequirements restartPolicy:s restartPolicyRules:a "
	"securityContext:SecurityContext source:s startupProbe:Probe stdin:b stdinOnce:b "
	"terminationMessagePath:s terminationMessagePolicy:s tty:b volumeDevices:a volumeMounts:[VolumeMount] "
	"workingDir:s",
	"argo UserContainer args:[s] command:[s] env:[EnvVar] envFrom:[EnvFromSource] image:s imagePullPolicy:s "
	"lifecycle:a livenessProbe:Probe mirrorVolumeMounts:b name!:s ports:[ContainerPort] readinessProbe:Probe "
	"resizePolicy:a resources:ResourceRequirements restartPolicy:s restartPolicyRules:a "
	"securityContext:SecurityContext startupProbe:Probe stdin:b stdinOnce:b terminationMessagePath:s "
	"terminationMessagePolicy:s tty:b volumeDevices:a volumeMounts:[VolumeMount] workingDir:s",
	"argo ContainerSetTemplate containers!:[ContainerNode] retryStrategy:a volumeMounts:[VolumeMount]",
	"argo ContainerNode args:[s] command:[s] dependencies:[s] env:[EnvVar] envFrom:[EnvFromSource] image:s "
	"imagePullPolicy:s lifecycle:a livenessProbe:Probe name!:s ports:[ContainerPort] readinessProbe:Probe "
	"resizePolicy:a resources:ResourceRequirements restartPolicy:s restartPolicyRules:a "
	"securityContext:SecurityContext startupProbe:Probe stdin:b stdinOnce:b terminationMessagePath:s "
	"terminationMessagePolicy:s tty:b volumeDevices:a volumeMounts:[VolumeMount] workingDir:s",
	"argo SuspendTemplate duration:x",
	"argo HTTP body:s bodyFrom:a headers:a insecureSkipVerify:b method:s successCondition:s timeoutSeconds:x "
	"url!:s",
	"argo Data source!:a transformation!:a",
	"argo Memoize cache!:a key!:s maxAge!:s",

	/* Kubernetes types inside workflows */
	"core Container args:[s] command:[s] env:[EnvVar] envFrom:[EnvFromSource] image:s imagePullPolicy:s "
	"lifecycle:a livenessProbe:Probe name:s ports:[ContainerPort] readinessProbe:Probe resizePolicy:a "
	"resources:ResourceRequirements restartPolicy:s restartPolicyRules:a securityContext:SecurityContext "
	"startupProbe:Probe stdin:b stdinOnce:b terminationMessagePath:s terminationMessagePolicy:s tty:b "
	"volumeDevices:a volumeMounts:[VolumeMount] workingDir:s",
	"core ContainerPort containerPort!:i hostIP:s hostPort:i name:s protocol:s",
	"core ResourceRequirements claims:a limits:{q} requests:{q}",
	"core VolumeResourceRequirements limits:{q} requests:{q}",
	"core EnvVar name!:s value:s valueFrom:EnvVarSource",
	"core EnvVarSource configMapKeyRef:ConfigMapKeySelector fieldRef:ObjectFieldSelector fileKeyRef:a "
	"resourceFieldRef:ResourceFieldSelector secretKeyRef:SecretKeySelector",
	"core EnvFromSource configMapRef:ConfigMapEnvSource prefix:s secretRef:SecretEnvSource",
	"core ConfigMapEnvSource name:s optional:b",
	"core SecretEnvSource name:s optional:b",
	"core ConfigMapKeySelector key!:s name:s optional:b",
	"core SecretKeySelector key!:s name:s optional:b",
	"core ObjectFieldSelector apiVersion:s fieldPath!:s",
	"core ResourceFieldSelector containerName:s divisor:q resource!:s",
	"core VolumeMount mountPath!:s mountPropagation:s name!:s readOnly:b recursiveReadOnly:s subPath:s "
	"subPathExpr:s",
	"core Volume awsElasticBlockStore:a azureDisk:a azureFile:a cephfs:a cinder:a configMap:ConfigMapVolumeSource "
	"csi:a downwardAPI:a emptyDir:EmptyDirVolumeSource ephemeral:a fc:a flexVolume:a flocker:a "
	"gcePersistentDisk:a gitRepo:a glusterfs:a hostPath:HostPathVolumeSource image:a iscsi:a name!:s "
	"nfs:NFSVolumeSource persistentVolumeClaim:PersistentVolumeClaimVolumeSource photonPersistentDisk:a "
	"portworxVolume:a projected:a quobyte:a rbd:a scaleIO:a secret:SecretVolumeSource storageos:a "
	"vsphereVolume:a",
	"core EmptyDirVolumeSource medium:s sizeLimit:q",
	"core HostPathVolumeSource path!:s type:s",
	"core NFSVolumeSource path!:s readOnly:b server!:s",
	"core PersistentVolumeClaimVolumeSource claimName!:s readOnly:b",
	"core ConfigMapVolumeSource defaultMode:i items:[KeyToPath] name:s optional:b",
	"core SecretVolumeSource defaultMode:i items:[KeyToPath] optional:b secretName:s",
	"core KeyToPath key!:s mode:i path!:s",
	"core PersistentVolumeClaim apiVersion:s kind:s metadata:ObjectMeta spec:PersistentVolumeClaimSpec status:a",
	"core PersistentVolumeClaimSpec accessModes:[s] dataSource:a dataSourceRef:a "
	"resources:VolumeResourceRequirements selector:LabelSelector storageClassName:s "
	"volumeAttributesClassName:s volumeMode:s volumeName:s",
	"core Toleration effect:s key:s operator:s tolerationSeconds:i value:s",
	"core Probe exec:ExecAction failureThreshold:i grpc:a httpGet:HTTPGetAction initialDelaySeconds:i "
	"periodSeconds:i successThreshold:i tcpSocket:TCPSocketAction terminationGracePeriodSeconds:i "
	"timeoutSeconds:i",
	"core ExecAction command:[s]",
	"core HTTPGetAction host:s httpHeaders:a path:s port!:x scheme:s",
	"core TCPSocketAction host:s port!:x",
	"core Affinity nodeAffinity:NodeAffinity podAffinity:PodAffinity podAntiAffinity:PodAffinity",
	"core NodeAffinity preferredDuringSchedulingIgnoredDuringExecution:[PreferredSchedulingTerm] "
	"requiredDuringSchedulingIgnoredDuringExecution:NodeSelector",
	"core NodeSelector nodeSelectorTerms!:[NodeSelectorTerm]",
	"core NodeSelectorTerm matchExpressions:[NodeSelectorRequirement] matchFields:[NodeSelectorRequirement]",
	"core NodeSelectorRequirement key!:s operator!:s values:[s]",
	"core PreferredSchedulingTerm preference!:NodeSelectorTerm weight!:i",
	"core PodAffinity preferredDuringSchedulingIgnoredDuringExecution:[WeightedPodAffinityTerm] "
	"requiredDuringSchedulingIgnoredDuringExecution:[PodAffinityTerm]",
	"core PodAffinityTerm labelSelector:LabelSelector matchLabelKeys:[s] mismatchLabelKeys:[s] "
	"namespaceSelector:LabelSelector namespaces:[s] topologyKey!:s",
	"core WeightedPodAffinityTerm podAffinityTerm!:PodAffinityTerm weight!:i",
	"core SecurityContext allowPrivilegeEscalation:b appArmorProfile:a capabilities:Capabilities privileged:b "
	"procMount:s readOnlyRootFilesystem:b runAsGroup:i runAsNonRoot:b runAsUser:i seLinuxOptions:a "
	"seccompProfile:a windowsOptions:a",
	"core Capabilities add:[s] drop:[s]",
	"core PodSecurityContext appArmorProfile:a fsGroup:i fsGroupChangePolicy:s runAsGroup:i runAsNonRoot:b "
	"runAsUser:i seLinuxChangePolicy:s seLinuxOptions:a seccompProfile:a supplementalGroups:[i] "
	"supplementalGroupsPolicy:s sysctls:a windowsOptions:a",
	"core HostAlias hostnames:[s] ip!:s",
	"core LocalObjectReference name:s",
	"core ServicePort appProtocol:s name:s nodePort:i port!:i protocol:s targetPort:x",
	"meta ObjectMeta annotations:{s} creationTimestamp:a deletionGracePeriodSeconds:i deletionTimestamp:a "
	"finalizers:[s] generateName:s generation:i labels:{s} managedFields:a name:s namespace:s "
	"ownerReferences:a resourceVersion:s selfLink:s uid:s",
	"meta LabelSelector matchExpressions:[LabelSelectorRequirement] matchLabels:{s}",
	"meta LabelSelectorRequirement key!:s operator!:s values:[s]",

	/* Objects that resource templates create */
	"k8s Pod apiVersion:s kind:s metadata:ObjectMeta spec:PodSpec status:a",
	"k8s PodTemplateSpec metadata:ObjectMeta spec:PodSpec",
	"k8s PodSpec activeDeadlineSeconds:i affinity:Affinity automountServiceAccountToken:b "
	"containers!:[Container] dnsConfig:a dnsPolicy:s enableServiceLinks:b ephemeralContainers:a "
	"hostAliases:[HostAlias] hostIPC:b hostNetwork:b hostPID:b hostUsers:b hostname:s hostnameOverride:s "
	"imagePullSecrets:[LocalObjectReference] initContainers:[Container] nodeName:s nodeSelector:{s} os:a "
	"overhead:{q} preemptionPolicy:s priority:i priorityClassName:s readinessGates:a resourceClaims:a "
	"resources:ResourceRequirements restartPolicy:s runtimeClassName:s schedulerName:s schedulingGates:a "
	"securityContext:PodSecurityContext serviceAccount:s serviceAccountName:s setHostnameAsFQDN:b "
	"shareProcessNamespace:b subdomain:s terminationGracePeriodSeconds:i tolerations:[Toleration] "
	"topologySpreadConstraints:a volumes:[Volume]",
	"k8s Service apiVersion:s kind:s metadata:ObjectMeta spec:ServiceSpec status:a",
	"k8s ServiceSpec allocateLoadBalancerNodePorts:b clusterIP:s clusterIPs:[s] externalIPs:[s] "
	"externalName:s externalTrafficPolicy:s healthCheckNodePort:i internalTrafficPolicy:s ipFamilies:[s] "
	"ipFamilyPolicy:s loadBalancerClass:s loadBalancerIP:s loadBalancerSourceRanges:[s] "
	"ports:[ServicePort] publishNotReadyAddresses:b selector:{s} sessionAffinity:s sessionAffinityConfig:a "
	"trafficDistribution:s type:s",
	"k8s StatefulSet apiVersion:s kind:s metadata:ObjectMeta spec:StatefulSetSpec status:a",
	"k8s StatefulSetSpec minReadySeconds:i ordinals:a persistentVolumeClaimRetentionPolicy:a "
	"podManagementPolicy:s replicas:i revisionHistoryLimit:i selector!:LabelSelector serviceName:s "
	"template!:PodTemplateSpec updateStrategy:a volumeClaimTemplates:[PersistentVolumeClaim]",
	"k8s Deployment apiVersion:s kind:s metadata:ObjectMeta spec:DeploymentSpec status:a",
	"k8s DeploymentSpec minReadySeconds:i paused:b progressDeadlineSeconds:i replicas:i revisionHistoryLimit:i "
	"selector!:LabelSelector strategy:a template!:PodTemplateSpec",
	"k8s Job apiVersion:s kind:s metadata:ObjectMeta spec:JobSpec status:a",
	"k8s JobSpec activeDeadlineSeconds:i backoffLimit:i backoffLimitPerIndex:i completionMode:s completions:i "
	"managedBy:s manualSelector:b maxFailedIndexes:i parallelism:i podFailurePolicy:a podReplacementPolicy:s "
	"selector:LabelSelector successPolicy:a suspend:b template!:PodTemplateSpec ttlSecondsAfterFinished:i",
	"k8s StorageClass allowVolumeExpansion:b allowedTopologies:a apiVersion:s kind:s metadata:ObjectMeta "
	"mountOptions:[s] parameters:{s} provisioner!:s reclaimPolicy:s volumeBindingMode:s",
	"k8s ConfigMap apiVersion:s binaryData:{s} data:{s} immutable:b kind:s metadata:ObjectMeta",
	"k8s Secret apiVersion:s data:{s} immutable:b kind:s metadata:ObjectMeta stringData:{s} type:s",
	NULL,
};

const char *const schema_enum_lines[] = {
	"Container.imagePullPolicy=Always|IfNotPresent|Never",
	"ScriptTemplate.imagePullPolicy=Always|IfNotPresent|Never",
	"UserContainer.imagePullPolicy=Always|IfNotPresent|Never",
	"ContainerNode.imagePullPolicy=Always|IfNotPresent|Never",
	"ResourceTemplate.action=get|create|apply|delete|replace|patch",
	"ResourceTemplate.mergeStrategy=strategic|merge|json",
	"PodGC.strategy=|OnPodCompletion|OnPodSuccess|OnWorkflowCompletion|OnWorkflowSuccess",
	"RetryStrategy.retryPolicy=Always|OnFailure|OnError|OnTransientError",
	"CronWorkflowSpec.concurrencyPolicy=Allow|Forbid|Replace",
	"PersistentVolumeClaimSpec.accessModes=ReadWriteOnce|ReadOnlyMany|ReadWriteMany|ReadWriteOncePod",
	"PersistentVolumeClaimSpec.volumeMode=Filesystem|Block",
	"StorageClass.volumeBindingMode=Immediate|WaitForFirstConsumer",
	"StorageClass.reclaimPolicy=Delete|Retain",
	"ServiceSpec.type=ClusterIP|NodePort|LoadBalancer|ExternalName",
	"ServiceSpec.externalTrafficPolicy=Cluster|Local",
	"ServiceSpec.sessionAffinity=None|ClientIP",
	"ServicePort.protocol=TCP|UDP|SCTP",
	"ContainerPort.protocol=TCP|UDP|SCTP",
	"Toleration.operator=Exists|Equal",
	"Toleration.effect=|NoSchedule|PreferNoSchedule|NoExecute",
	"PodSpec.restartPolicy=Always|OnFailure|Never",
	"PodSpec.dnsPolicy=ClusterFirst|ClusterFirstWithHostNet|Default|None",
	"NodeSelectorRequirement.operator=In|NotIn|Exists|DoesNotExist|Gt|Lt",
	"LabelSelectorRequirement.operator=In|NotIn|Exists|DoesNotExist",
	"EmptyDirVolumeSource.medium=|Memory|HugePages",
	"StatefulSetSpec.podManagementPolicy=OrderedReady|Parallel",
	"HTTPGetAction.scheme=HTTP|HTTPS",
	NULL,
};
