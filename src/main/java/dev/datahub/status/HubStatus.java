package dev.datahub.status;

import java.util.List;
import java.util.Objects;

/**
 * What {@code status} knows about one hub: both environments, whether prod is behind staging, and what the last
 * promotion changed.
 *
 * @param prodBehind prod runs another image digest or chart than staging (null when one of them could not be read)
 * @param lastPromotion prod's latest promote record, null when prod was never promoted to
 * @param lastPromotionDiff what that promotion changed against what prod ran before it ({@code BundleDiff} lines)
 */
public record HubStatus(
    String hub,
    List<EnvironmentState> environments,
    Boolean prodBehind,
    TimelineEvent lastPromotion,
    List<String> lastPromotionDiff) {

  public HubStatus {
    environments = List.copyOf(environments);
    lastPromotionDiff = lastPromotionDiff == null ? List.of() : List.copyOf(lastPromotionDiff);
  }

  public EnvironmentState environment(String name) {
    return environments.stream().filter(e -> Objects.equals(name, e.environment())).findFirst()
        .orElse(EnvironmentState.unavailable(name, "not read"));
  }

  public boolean drift() {
    return environments.stream().anyMatch(e -> !e.drift().isEmpty());
  }

  public boolean stuck() {
    return environments.stream().anyMatch(EnvironmentState::stuck);
  }
}
