package io.modelprefetch.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import org.junit.jupiter.api.Test;

class DownloadJobStoreTest {

  @Test
  void keepsNameLabelsOwnerAndStatusButNotTheTemplateOrManagedFields() {
    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withNamespace("serving")
            .withName("llama-g1-abc")
            .withResourceVersion("42")
            .addToLabels(ArtifactNames.MANAGED_BY, ArtifactNames.OPERATOR)
            .addNewOwnerReference()
            .withKind("ModelArtifact")
            .withName("llama")
            .withUid("u-1")
            .endOwnerReference()
            .withManagedFields(
                new ManagedFieldsEntryBuilder().withManager("modelprefetch-operator").build())
            .endMetadata()
            .withNewSpec()
            .withBackoffLimit(3)
            .withNewTemplate()
            .withNewSpec()
            .addNewContainer()
            .withName("pull")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .withNewStatus()
            .withFailed(1)
            .endStatus()
            .build();
    DownloadJobStore store = new DownloadJobStore();

    store.put(Cache.metaNamespaceKeyFunc(job), job);
    Job cached = store.get("serving/llama-g1-abc");

    assertThat(cached.getSpec()).isNull();
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(cached.getMetadata().getLabels())
        .containsEntry(ArtifactNames.MANAGED_BY, ArtifactNames.OPERATOR);
    assertThat(cached.getMetadata().getOwnerReferences())
        .extracting("name")
        .containsExactly("llama");
    assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(cached.getStatus().getFailed()).isEqualTo(1);
  }
}
