package io.modelprefetch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.e2e.cluster.E2EExtension;
import io.modelprefetch.e2e.cluster.Release;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Volumes from hostPath-style provisioners ignore fsGroup: the directory's owner and mode decide
 * whether the non-root (65532) downloader can write. The product's answer (README "Storage"): a
 * documented requirement, and a Failed artifact that says exactly what is wrong and how to fix it.
 * (local-path's 0777 directories work: ModelArtifactE2E.)
 */
@ExtendWith(E2EExtension.class)
class VolumePermissionsE2E {
  @Test
  void aRootOwnedHostPathVolumeFailsWithAnActionableMessage(Release release) throws Exception {
    try (Scenario s = new Scenario(release, "root-volume", false)) {
      String dir = release.cluster().hostDirectory(s.ns + "-root-0750", 0, "rwxr-x---");
      boundHostPathClaim(s, "models", dir);
      s.create(s.artifact("llama").existingClaim("models"));

      ModelArtifactStatus failed = s.awaitPhase("llama", Phase.Failed, Duration.ofMinutes(3));
      Condition ready =
          failed.conditions().stream()
              .filter(c -> c.getType().equals("Ready"))
              .findFirst()
              .orElseThrow();
      System.out.println(
          "MEASUREMENT root-owned 0750 hostPath volume: "
              + ready.getReason()
              + ": "
              + ready.getMessage());
      assertThat(ready.getReason()).isEqualTo("DestinationError");
      assertThat(ready.getMessage())
          .contains("not writable by uid 65532")
          .contains("owned by uid 0")
          .contains("mode 0750")
          .contains("fsGroup");
      assertThat(s.downloadPods()).as("not retried: retrying cannot help").hasSize(1);
    }
  }

  @Test
  void theDocumentedFixAHostPathDirectoryOwnedBy65532Works(Release release) throws Exception {
    try (Scenario s = new Scenario(release, "owned-volume", false)) {
      String dir = release.cluster().hostDirectory(s.ns + "-owned-0750", 65532, "rwxr-x---");
      boundHostPathClaim(s, "models", dir);
      s.create(s.artifact("llama").existingClaim("models"));

      s.awaitPhase("llama", Phase.Ready, Duration.ofMinutes(3));
      PersistentVolume volume = s.volumeOf("models");
      assertThat(release.cluster().readVolumeFile(volume, "model.safetensors"))
          .isEqualTo(Scenario.WEIGHTS);
    }
  }

  /**
   * A hostPath PersistentVolume on {@code dir} pre-bound to a new claim, as a hostPath-style
   * provisioner makes them.
   */
  private static void boundHostPathClaim(Scenario s, String claim, String dir) {
    String pvName = s.ns + "-" + claim;
    PersistentVolume pv =
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName(pvName)
            .endMetadata()
            .withNewSpec()
            .addToCapacity("storage", new Quantity("1Gi"))
            .withAccessModes("ReadWriteOnce")
            .withStorageClassName("")
            .withPersistentVolumeReclaimPolicy("Delete")
            .withNewHostPath()
            .withPath(dir)
            .withType("Directory")
            .endHostPath()
            .withNewClaimRef()
            .withNamespace(s.ns)
            .withName(claim)
            .endClaimRef()
            .endSpec()
            .build();
    s.kube.persistentVolumes().resource(pv).create();
    PersistentVolumeClaim pvc =
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName(claim)
            .endMetadata()
            .withNewSpec()
            .withAccessModes("ReadWriteOnce")
            .withStorageClassName("")
            .withVolumeName(pvName)
            .withNewResources()
            .addToRequests("storage", new Quantity("1Gi"))
            .endResources()
            .endSpec()
            .build();
    s.kube.persistentVolumeClaims().inNamespace(s.ns).resource(pvc).create();
  }
}
