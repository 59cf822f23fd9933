package io.modelprefetch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArtifactsAnnotationTest {

  @Test
  void namesMountUnderModelsByDefault() {
    assertThat(ArtifactsAnnotation.parse("llama-3-8b, bge.small", "serving"))
        .containsExactly(
            new ArtifactReference("llama-3-8b", "/models/llama-3-8b"),
            new ArtifactReference("bge.small", "/models/bge.small"));
  }

  @Test
  void anEntryMayNameItsMountPath() {
    assertThat(ArtifactsAnnotation.parse("llama-3-8b=/mnt/llama, bge", "serving"))
        .containsExactly(
            new ArtifactReference("llama-3-8b", "/mnt/llama"),
            new ArtifactReference("bge", "/models/bge"));
  }

  @Test
  void anotherNamespaceIsRefusedNamingThePodsNamespace() {
    assertThatThrownBy(() -> ArtifactsAnnotation.parse("other-ns/llama", "serving"))
        .isInstanceOf(AdmissionRefusal.class)
        .hasMessage(
            "artifact 'other-ns/llama' refers to another namespace; a pod can only use"
                + " ModelArtifacts in its own namespace 'serving': create the ModelArtifact there"
                + " and list it by name");
  }

  @Test
  void aMissingAnnotationIsRefused() {
    assertThatThrownBy(() -> ArtifactsAnnotation.parse(null, "serving"))
        .hasMessageStartingWith(
            "pod is labelled modelprefetch.io/inject=true but annotation modelprefetch.io/artifacts"
                + " is missing or empty");
  }

  @Test
  void anEmptyEntryIsRefused() {
    assertThatThrownBy(() -> ArtifactsAnnotation.parse("a,,b", "serving"))
        .hasMessageStartingWith(
            "annotation modelprefetch.io/artifacts has an empty entry in 'a,,b'");
  }

  @Test
  void anInvalidNameIsRefused() {
    assertThatThrownBy(() -> ArtifactsAnnotation.parse("Llama_3", "serving"))
        .hasMessageStartingWith(
            "'Llama_3' in annotation modelprefetch.io/artifacts is not a ModelArtifact name");
  }

  @Test
  void aRelativeOrEscapingMountPathIsRefused() {
    assertThatThrownBy(() -> ArtifactsAnnotation.parse("llama=models/llama", "serving"))
        .hasMessageStartingWith(
            "mount path 'models/llama' of artifact 'llama' must be an absolute path");
    assertThatThrownBy(() -> ArtifactsAnnotation.parse("llama=/models/../etc", "serving"))
        .hasMessageStartingWith(
            "mount path '/models/../etc' of artifact 'llama' must be an absolute path");
  }

  @Test
  void duplicatesAreRefused() {
    assertThatThrownBy(() -> ArtifactsAnnotation.parse("llama,llama=/x", "serving"))
        .hasMessage("annotation modelprefetch.io/artifacts lists artifact 'llama' twice");
    assertThatThrownBy(() -> ArtifactsAnnotation.parse("a=/m,b=/m", "serving"))
        .hasMessage(
            "annotation modelprefetch.io/artifacts mounts two artifacts at '/m'; give each artifact"
                + " its own path");
    assertThatThrownBy(() -> ArtifactsAnnotation.parse("a-b,a.b", "serving"))
        .hasMessageContaining("differ only in '.' versus '-' ('a.b')");
  }
}
