package io.modelprefetch.e2e;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelprefetch.operator.testing.JobControllerStandIn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A STAND-IN for the kubelet, for the fast ITs only (the *E2E tier runs a real one): plays the
 * kubelet for a download Job's pod: runs the pod's containers (same args, same env with secrets
 * resolved) as local processes of the packaged CLI, with the claim mapped to a directory and the
 * pod's ServiceAccount token in a kubeconfig, then reports the outcome in pod and Job status.
 */
final class KubeletStandIn {
  private final KubernetesClient admin;
  private final Config adminConfig;
  private final JobControllerStandIn jobController;
  private final Path jar =
      Path.of(System.getProperty("modelprefetch.jar", "../initcontainer/target/modelprefetch.jar"));
  private final Path java =
      Path.of(
          System.getProperty("java.home.for.cli", System.getProperty("java.home")), "bin", "java");
  private final AtomicInteger pullsStarted = new AtomicInteger();
  private final Path workRoot;

  /**
   * @param workRoot where each pod's termination log, logs and kubeconfig go (the caller removes
   *     it)
   */
  KubeletStandIn(KubernetesClient admin, Config adminConfig, Path workRoot) {
    this.workRoot = workRoot;
    this.admin = admin;
    this.adminConfig = adminConfig;
    this.jobController = new JobControllerStandIn(admin);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath()
              + " is missing: build the initcontainer module first (the reactor does)");
    }
  }

  /** A pod running on this "node"; {@code exit} completes once pod and Job status are updated. */
  record RunningPod(Pod pod, Process pull, CompletableFuture<Integer> exit, Path log) {}

  int pullsStarted() {
    return pullsStarted.get();
  }

  RunningPod run(Job job, Path volume) throws IOException {
    Pod pod = jobController.startPod(job);
    String ns = job.getMetadata().getNamespace();
    Path work = Files.createDirectories(workRoot.resolve("kubelet-" + pod.getMetadata().getName()));
    Path terminationLog = work.resolve("termination-log");
    Path log = work.resolve("pull.log");
    Path kubeconfig = serviceAccountKubeconfig(ns, pod.getSpec().getServiceAccountName(), work);
    Container pull = pod.getSpec().getInitContainers().getFirst();
    Process process = start(pull, ns, volume, terminationLog, kubeconfig, log);
    pullsStarted.incrementAndGet();
    CompletableFuture<Integer> exit =
        process
            .onExit()
            .thenApply(
                p -> {
                  try {
                    int code = p.exitValue();
                    if (code == 0) {
                      Container check = pod.getSpec().getContainers().getFirst();
                      code =
                          start(
                                  check,
                                  ns,
                                  volume,
                                  work.resolve("check-termination-log"),
                                  kubeconfig,
                                  work.resolve("check.log"))
                              .waitFor();
                    }
                    String message =
                        Files.exists(terminationLog) ? Files.readString(terminationLog) : "";
                    jobController.finish(job, pod, code, message);
                    return code;
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                  }
                });
    return new RunningPod(pod, process, exit, log);
  }

  private Process start(
      Container c, String ns, Path volume, Path terminationLog, Path kubeconfig, Path log)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", jar.toString()));
    for (String arg : c.getArgs()) {
      command.add(
          switch (arg) {
            case "/models" -> volume.toString();
            case "/dev/termination-log" -> terminationLog.toString();
            default -> arg;
          });
    }
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().clear();
    pb.environment().putAll(env(c, ns));
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("HOME", kubeconfig.getParent().toString());
    return pb.start();
  }

  /** Container env as the kubelet would build it: literal values and (optional) secret keys. */
  private Map<String, String> env(Container c, String ns) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      } else if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
        var ref = e.getValueFrom().getSecretKeyRef();
        Secret secret = admin.secrets().inNamespace(ns).withName(ref.getName()).get();
        String encoded =
            secret == null || secret.getData() == null ? null : secret.getData().get(ref.getKey());
        if (encoded != null) {
          env.put(
              e.getName(), new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
        } else if (!Boolean.TRUE.equals(ref.getOptional())) {
          throw new IllegalStateException(
              "CreateContainerConfigError: secret key " + ref.getName() + "/" + ref.getKey());
        }
      }
    }
    return env;
  }

  /**
   * What the projected ServiceAccount token gives a real pod: the pod's own identity, nothing more.
   */
  private Path serviceAccountKubeconfig(String ns, String serviceAccount, Path dir)
      throws IOException {
    String token =
        admin
            .serviceAccounts()
            .inNamespace(ns)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: %s
            certificate-authority: %s
        users:
        - name: pod
          user:
            token: %s
        contexts:
        - name: pod
          context: {cluster: test, user: pod, namespace: %s}
        current-context: pod
        """
            .formatted(adminConfig.getMasterUrl(), adminConfig.getCaCertFile(), token, ns);
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, yaml);
    return file;
  }
}
