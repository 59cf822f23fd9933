package io.modelprefetch.operator.webhook;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses {@code modelprefetch.io/artifacts: name[,name=/path…]}. Every problem is an {@link
 * AdmissionRefusal} naming the offending entry and what to write instead.
 */
public final class ArtifactsAnnotation {
  public static final String DEFAULT_MOUNT_ROOT = "/models/";
  private static final Pattern NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final String SYNTAX =
      "expected name[,name=/mount/path...], e.g. 'llama-3-8b' or 'llama-3-8b=/models/llama'";

  private ArtifactsAnnotation() {}

  /**
   * @param value the annotation value (null when absent)
   * @param namespace the pod's namespace, named in messages about cross-namespace references
   */
  public static List<ArtifactReference> parse(String value, String namespace) {
    if (value == null || value.isBlank()) {
      throw new AdmissionRefusal(
          "pod is labelled "
              + PodLabels.INJECT_LABEL
              + "=true but annotation "
              + PodLabels.ARTIFACTS_ANNOTATION
              + " is missing or empty; "
              + SYNTAX);
    }
    List<ArtifactReference> refs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> paths = new HashSet<>();
    Set<String> volumes = new HashSet<>();
    for (String raw : value.split(",", -1)) {
      ArtifactReference ref = entry(raw.strip(), value, namespace);
      if (!names.add(ref.name())) {
        throw new AdmissionRefusal(
            "annotation "
                + PodLabels.ARTIFACTS_ANNOTATION
                + " lists artifact '"
                + ref.name()
                + "' twice");
      }
      if (!paths.add(ref.mountPath())) {
        throw new AdmissionRefusal(
            "annotation "
                + PodLabels.ARTIFACTS_ANNOTATION
                + " mounts two artifacts at '"
                + ref.mountPath()
                + "'; give each artifact its own path");
      }
      if (!volumes.add(new InjectionNames(ref.name()).volume())) {
        throw new AdmissionRefusal(
            "artifacts in annotation "
                + PodLabels.ARTIFACTS_ANNOTATION
                + " differ only in"
                + " '.' versus '-' ('"
                + ref.name()
                + "'), which gives them the same volume and MODEL_PATH_ variable;"
                + " mount them from separate pods or rename one");
      }
      refs.add(ref);
    }
    return List.copyOf(refs);
  }

  /**
   * The artifact names a pod refers to, or none when the annotation is absent or malformed (no
   * refusal).
   */
  public static Set<String> namesOf(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(PodLabels.ARTIFACTS_ANNOTATION);
    try {
      Set<String> names = new HashSet<>();
      parse(value, pod.getMetadata().getNamespace()).forEach(r -> names.add(r.name()));
      return Set.copyOf(names);
    } catch (AdmissionRefusal e) {
      return Set.of();
    }
  }

  private static ArtifactReference entry(String entry, String value, String namespace) {
    if (entry.isEmpty()) {
      throw new AdmissionRefusal(
          "annotation "
              + PodLabels.ARTIFACTS_ANNOTATION
              + " has an empty entry in '"
              + value
              + "'; "
              + SYNTAX);
    }
    int eq = entry.indexOf('=');
    String name = (eq < 0 ? entry : entry.substring(0, eq)).strip();
    if (name.contains("/")) {
      throw new AdmissionRefusal(
          "artifact '"
              + name
              + "' refers to another namespace; a pod can only use"
              + " ModelArtifacts in its own namespace '"
              + namespace
              + "': create the ModelArtifact there and"
              + " list it by name");
    }
    if (name.length() > 253 || !NAME.matcher(name).matches()) {
      throw new AdmissionRefusal(
          "'"
              + name
              + "' in annotation "
              + PodLabels.ARTIFACTS_ANNOTATION
              + " is not a ModelArtifact name (lowercase letters, digits, '-' and '.'); "
              + SYNTAX);
    }
    String path = eq < 0 ? DEFAULT_MOUNT_ROOT + name : entry.substring(eq + 1).strip();
    checkPath(name, path);
    return new ArtifactReference(name, path);
  }

  private static void checkPath(String name, String path) {
    boolean ok =
        path.startsWith("/")
            && path.length() > 1
            && !path.endsWith("/")
            && !path.contains("//")
            && !path.contains(":")
            && path.chars().noneMatch(Character::isISOControl);
    for (String segment : path.split("/")) {
      ok &= !segment.equals(".") && !segment.equals("..");
    }
    if (!ok) {
      String shown =
          path.codePoints()
              .map(c -> Character.isISOControl(c) ? '?' : c)
              .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
              .toString();
      throw new AdmissionRefusal(
          "mount path '"
              + shown
              + "' of artifact '"
              + name
              + "' must be an absolute path"
              + " such as /models/"
              + name
              + " (no '.', '..', '//', ':', control characters or trailing '/')");
    }
  }
}
