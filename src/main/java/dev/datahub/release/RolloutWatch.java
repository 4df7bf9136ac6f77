package dev.datahub.release;

import dev.datahub.DataHubException;
import dev.datahub.log.StepLog;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Waits until every Deployment of a release revision has rolled out, and fails fast when one of its pods cannot
 * start (ImagePullBackOff, ErrImagePull, CrashLoopBackOff, …) instead of waiting out the timeout.
 */
public final class RolloutWatch {

  /** Waiting reasons that will not resolve by waiting. */
  public static final Set<String> FATAL_REASONS = Set.of("ImagePullBackOff", "ErrImagePull", "CrashLoopBackOff",
      "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

  private static final Pattern DEPLOYMENT = Pattern.compile("(?m)^kind:\\s*Deployment\\s*$");
  private static final Pattern NAME = Pattern.compile("(?m)^metadata:\\s*\\n(?:\\s+.*\\n)*?\\s{2}name:\\s*['\"]?([^'\"\\s]+)");

  private final KubernetesClient client;
  private final String namespace;
  private final StepLog log;
  private final Duration poll;

  public RolloutWatch(KubernetesClient client, String namespace, StepLog log, Duration poll) {
    this.client = client;
    this.namespace = namespace;
    this.log = log;
    this.poll = poll;
  }

  /** Deployment names in a rendered manifest. */
  public static List<String> deploymentsIn(String manifest) {
    List<String> names = new ArrayList<>();
    for (String doc : manifest.split("(?m)^---\\s*$")) {
      if (DEPLOYMENT.matcher(doc).find()) {
        Matcher m = NAME.matcher(doc);
        if (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  public void await(List<String> deployments, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> waiting = new ArrayList<>();
      for (String name : deployments) {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
        if (d == null) {
          throw new DataHubException("Deployment " + name + " of the release is missing in " + namespace
              + " — check the chart and the namespace");
        }
        fatalPod(d).ifPresent(reason -> {
          throw new DataHubException("Deployment " + name + " cannot start: " + reason
              + " — fix the image or configuration; the release was not left half-rolled-out");
        });
        if (!rolledOut(d)) {
          waiting.add(name);
        }
      }
      if (waiting.isEmpty()) {
        log.info("Rolled out: " + String.join(", ", deployments));
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new DataHubException("Deployments " + waiting + " not ready after " + timeout.toMinutes() + " min — "
            + "check kubectl describe pods -n " + namespace + ", or raise <timeout>");
      }
      sleep();
    }
  }

  static boolean rolledOut(Deployment d) {
    long generation = Objects.requireNonNullElse(d.getMetadata().getGeneration(), 1L);
    if (d.getStatus() == null || d.getStatus().getObservedGeneration() == null
        || d.getStatus().getObservedGeneration() < generation) {
      return false;
    }
    int want = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
    return Objects.requireNonNullElse(d.getStatus().getUpdatedReplicas(), 0) >= want
        && Objects.requireNonNullElse(d.getStatus().getReadyReplicas(), 0) >= want;
  }

  private Optional<String> fatalPod(Deployment d) {
    Map<String, String> selector = d.getSpec().getSelector() == null ? null : d.getSpec().getSelector().getMatchLabels();
    if (selector == null || selector.isEmpty()) {
      return Optional.empty();
    }
    for (Pod pod : client.pods().inNamespace(namespace).withLabels(selector).list().getItems()) {
      if (pod.getStatus() == null) {
        continue;
      }
      List<ContainerStatus> statuses = new ArrayList<>();
      if (pod.getStatus().getInitContainerStatuses() != null) {
        statuses.addAll(pod.getStatus().getInitContainerStatuses());
      }
      if (pod.getStatus().getContainerStatuses() != null) {
        statuses.addAll(pod.getStatus().getContainerStatuses());
      }
      for (ContainerStatus cs : statuses) {
        if (cs.getState() != null && cs.getState().getWaiting() != null
            && FATAL_REASONS.contains(cs.getState().getWaiting().getReason())) {
          String message = cs.getState().getWaiting().getMessage();
          return Optional.of("pod " + pod.getMetadata().getName() + " container " + cs.getName() + " is "
              + cs.getState().getWaiting().getReason() + (message == null ? "" : " (" + message + ")"));
        }
      }
    }
    return Optional.empty();
  }

  private void sleep() {
    try {
      Thread.sleep(poll.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataHubException("interrupted while waiting for the rollout");
    }
  }
}
