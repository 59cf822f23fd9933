package io.modelprefetch.chart;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * "Exists as rendered": every field of the rendered object is in the live one with the same value;
 * the server may add defaults (and status) but not change or drop what the chart says.
 */
final class Subset {
  private Subset() {}

  static void assertContained(JsonNode rendered, JsonNode live, String path) {
    if (rendered.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = rendered.fields(); it.hasNext(); ) {
        var field = it.next();
        JsonNode actual = live.get(field.getKey());
        if (actual == null) {
          throw new AssertionError(
              path
                  + "."
                  + field.getKey()
                  + " is missing on the server (rendered: "
                  + field.getValue()
                  + ")");
        }
        assertContained(field.getValue(), actual, path + "." + field.getKey());
      }
    } else if (rendered.isArray()) {
      if (!live.isArray() || live.size() != rendered.size()) {
        throw new AssertionError(path + ": rendered " + rendered + " but the server has " + live);
      }
      for (int i = 0; i < rendered.size(); i++) {
        assertContained(rendered.get(i), live.get(i), path + "[" + i + "]");
      }
    } else if (!rendered.isNull() && !rendered.asText().equals(live.asText())) {
      throw new AssertionError(path + ": rendered " + rendered + " but the server has " + live);
    }
  }
}
