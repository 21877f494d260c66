#include "sim/switch_chain.h"

#include <gtest/gtest.h>

namespace iiot {
namespace {

double Stationary(SwitchTransitions t) { return t.off_to_on / (t.on_to_off + t.off_to_on); }

double MeanKeep(double p, SwitchTransitions t) {
  return p * (1 - t.on_to_off) + (1 - p) * (1 - t.off_to_on);
}

TEST(SwitchChain, DefaultsGiveStationaryPOnAndStickiness) {
  const SwitchTransitions t = SwitchTransitionsFor(0.8, 0.95);
  EXPECT_NEAR(t.on_to_off, 0.03125, 1e-12);
  EXPECT_NEAR(t.off_to_on, 0.125, 1e-12);
  EXPECT_NEAR(Stationary(t), 0.8, 1e-12);
  EXPECT_NEAR(MeanKeep(0.8, t), 0.95, 1e-12);
}

TEST(SwitchChain, BothPropertiesHoldWhereverPossible) {
  for (double p : {0.05, 0.3, 0.5, 0.9}) {
    for (double keep : {0.5, 0.9, 0.99}) {
      const SwitchTransitions t = SwitchTransitionsFor(p, keep);
      if ((1 - keep) / 2 > std::min(p, 1 - p)) continue;  // impossible: next test
      EXPECT_NEAR(Stationary(t), p, 1e-12) << p << " " << keep;
      EXPECT_NEAR(MeanKeep(p, t), keep, 1e-12) << p << " " << keep;
    }
  }
}

TEST(SwitchChain, TooLittleStickinessKeepsPOnAndCapsTheFlow) {
  // p = 0.95 cannot keep its state only 50% of the time: "off" would have to end more
  // than always. p still holds; the off state is left at every sample.
  const SwitchTransitions t = SwitchTransitionsFor(0.95, 0.5);
  EXPECT_NEAR(Stationary(t), 0.95, 1e-12);
  EXPECT_DOUBLE_EQ(t.off_to_on, 1.0);
  EXPECT_LE(t.on_to_off, 1.0);
}

TEST(SwitchChain, CertainStatesAreAbsorbing) {
  EXPECT_EQ(SwitchTransitionsFor(1.0, 0.95).on_to_off, 0.0);
  EXPECT_EQ(SwitchTransitionsFor(0.0, 0.95).off_to_on, 0.0);
}

TEST(SwitchChain, OverTheReferenceIntervalTheContinuousChainIsTheSampledOne) {
  for (double p : {0.3, 0.8}) {
    for (double keep : {0.9, 0.95, 0.99}) {
      const SwitchTransitions ref = SwitchTransitionsFor(p, keep);
      const SwitchTransitions over =
          SwitchTransitionsOver(p, SwitchLogMemory(p, keep), kSwitchReferenceSeconds);
      EXPECT_NEAR(over.on_to_off, ref.on_to_off, 1e-12);
      EXPECT_NEAR(over.off_to_on, ref.off_to_on, 1e-12);
    }
  }
}

TEST(SwitchChain, OverTimeTheChainKeepsPOnAndForgets) {
  const double log_memory = SwitchLogMemory(0.8, 0.95);
  const SwitchTransitions none = SwitchTransitionsOver(0.8, log_memory, 0);
  EXPECT_EQ(none.on_to_off, 0.0);
  EXPECT_EQ(none.off_to_on, 0.0);
  for (double seconds : {1.0, 60.0, 3600.0}) {
    const SwitchTransitions t = SwitchTransitionsOver(0.8, log_memory, seconds);
    EXPECT_NEAR(Stationary(t), 0.8, 1e-9) << seconds;
  }
  const SwitchTransitions hour = SwitchTransitionsOver(0.8, log_memory, 3600);
  EXPECT_NEAR(hour.off_to_on, 0.8, 1e-6);  // an hour later the state is a fresh draw
  // A chain too unsticky to be continuous forgets at once.
  const double alternating = SwitchLogMemory(0.5, 0.0);
  EXPECT_NEAR(SwitchTransitionsOver(0.5, alternating, 5).on_to_off, 0.5, 1e-12);
  EXPECT_EQ(SwitchTransitionsOver(0.5, alternating, 0).on_to_off, 0.0);
}

TEST(SwitchChain, UsageProbabilityIsClampedToAProbability) {
  EXPECT_DOUBLE_EQ(UsageProbability(0.8, 0.1, 1.0), 0.9);
  EXPECT_DOUBLE_EQ(UsageProbability(0.8, 0.1, -1.0), 0.7);
  EXPECT_EQ(UsageProbability(0.95, 0.1, 1.0), 1.0);
  EXPECT_EQ(UsageProbability(0.05, 0.1, -1.0), 0.0);
}

}  // namespace
}  // namespace iiot
