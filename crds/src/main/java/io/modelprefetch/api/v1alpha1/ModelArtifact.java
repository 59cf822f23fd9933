package io.modelprefetch.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A model (or any set of files) to fetch from Hugging Face, S3-compatible storage or HTTPS onto a
 * volume, verified, so that inference pods can mount it read-only.
 */
@Group(ModelArtifact.GROUP)
@Version(ModelArtifact.VERSION)
@Plural("modelartifacts")
@ShortNames("ma")
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Progress",
    jsonPath = ".status.progress.percent",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Size",
    jsonPath = ".status.resolved.size",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Speed",
    jsonPath = ".status.progress.speed",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "ETA",
    jsonPath = ".status.progress.eta",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ModelArtifact extends CustomResource<ModelArtifactSpec, ModelArtifactStatus>
    implements Namespaced {
  public static final String GROUP = "modelprefetch.io";
  public static final String VERSION = "v1alpha1";
}
