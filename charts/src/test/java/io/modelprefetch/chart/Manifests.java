package io.modelprefetch.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Multi-document YAML as JSON trees, looked up by kind and name. */
record Manifests(List<JsonNode> documents) {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Manifests parse(String yaml) {
    try (var parser = YAML.createParser(yaml)) {
      List<JsonNode> docs = new ArrayList<>();
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode doc = it.next();
        if (doc != null && doc.hasNonNull("kind")) {
          docs.add(doc);
        }
      }
      return new Manifests(List.copyOf(docs));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Optional<JsonNode> find(String kind, String name) {
    return documents.stream()
        .filter(d -> kind.equals(d.path("kind").asText()))
        .filter(d -> name.equals(d.path("metadata").path("name").asText()))
        .findFirst();
  }

  JsonNode get(String kind, String name) {
    return find(kind, name)
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + kinds()));
  }

  List<String> kinds() {
    return documents.stream()
        .map(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText())
        .toList();
  }
}
