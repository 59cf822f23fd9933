package io.modelprefetch.downloader.manifest;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Include/exclude globs with the semantics users know from huggingface_hub's allow_patterns: {@code
 * *} also matches '/', so {@code *.safetensors} selects shards in subfolders too, and a pattern
 * ending in '/' selects everything below that folder.
 */
public record PathFilter(List<Pattern> include, List<Pattern> exclude)
    implements Predicate<String> {

  public static PathFilter of(List<String> include, List<String> exclude) {
    return new PathFilter(compile(include), compile(exclude));
  }

  @Override
  public boolean test(String path) {
    boolean included =
        include.isEmpty() || include.stream().anyMatch(p -> p.matcher(path).matches());
    return included && exclude.stream().noneMatch(p -> p.matcher(path).matches());
  }

  private static List<Pattern> compile(List<String> globs) {
    return globs == null ? List.of() : globs.stream().map(PathFilter::toRegex).toList();
  }

  static Pattern toRegex(String glob) {
    String g = glob.endsWith("/") ? glob + "*" : glob;
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '[' -> {
          int close = g.indexOf(']', i + 1);
          if (close < 0) {
            re.append("\\[");
          } else {
            String body = g.substring(i + 1, close);
            re.append('[')
                .append(body.startsWith("!") ? "^" + body.substring(1) : body)
                .append(']');
            i = close;
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
