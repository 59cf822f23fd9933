package io.modelprefetch.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD is the crd-generator's output with the printer columns put back in the order
 * they are declared on {@link ModelArtifact} (the generator sorts them by JSON path). Run with
 * {@code -Dcrd.update=true} to rewrite the committed file after changing the API types.
 */
class CrdDriftTest {
  static final String CRD_FILE = "modelartifacts.modelprefetch.io-v1.yml";
  static final Path GENERATED = Path.of("target/classes/META-INF/fabric8", CRD_FILE);
  static final Path COMMITTED = Path.of(CRD_FILE);

  @Test
  void committedCrdMatchesTheJavaTypes() throws IOException {
    String expected = render(GENERATED);
    if (Boolean.getBoolean("crd.update")) {
      Files.writeString(COMMITTED, expected);
    }
    assertThat(COMMITTED).exists();
    assertThat(Files.readString(COMMITTED))
        .as("crds/%s is stale: run ./mvnw -pl crds test -Dcrd.update=true and commit it", CRD_FILE)
        .isEqualTo(expected);
  }

  @Test
  void printerColumnsFollowTheDeclaredOrder() throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(COMMITTED));
    assertThat(crd.getSpec().getVersions().getFirst().getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Phase", "Progress", "Size", "Speed", "ETA", "Age");
  }

  @Test
  void statusIsASubresourceAndShortNameIsMa() throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(COMMITTED));
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("ma");
    assertThat(crd.getSpec().getVersions().getFirst().getSubresources().getStatus()).isNotNull();
  }

  static String render(Path generated) throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(generated));
    List<String> order =
        Arrays.stream(ModelArtifact.class.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    crd.getSpec()
        .getVersions()
        .forEach(
            v ->
                v.getAdditionalPrinterColumns()
                    .sort(Comparator.comparingInt(c -> order.indexOf(c.getName()))));
    return "# Generated from crds/src/main/java by crd-generator-maven-plugin; do not edit.\n"
        + Serialization.asYaml(crd);
  }
}
