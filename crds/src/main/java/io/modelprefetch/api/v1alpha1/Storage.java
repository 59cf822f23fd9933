package io.modelprefetch.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The volume the files are written to: a PersistentVolumeClaim shared by all consumers, or an
 * emptyDir per pod (each pod then downloads the pinned revision itself).
 */
@ValidationRule(
    value = "has(self.persistentVolumeClaim) != has(self.emptyDir)",
    message = "set exactly one of storage.persistentVolumeClaim or storage.emptyDir")
public record Storage(
    @JsonPropertyDescription("keep the files on a claim, created by the operator or existing")
        PvcStorage persistentVolumeClaim,
    @JsonPropertyDescription("download into an emptyDir of each consuming pod")
        EmptyDirStorage emptyDir) {}
