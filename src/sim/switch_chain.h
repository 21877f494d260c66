// The switch model: a sticky two-state Markov chain (on/off). Given the stationary
// probability of "on" (p) and the probability that the state is kept from one sample to
// the next (stickiness, averaged over the stationary distribution), the two transition
// probabilities follow:
//   p × P(on→off) = (1 − p) × P(off→on)        (balance: p is stationary)
//   1 − 2 p P(on→off) = stickiness              (the mean keep probability)
// so P(on→off) = (1 − stickiness) / 2p and P(off→on) = (1 − stickiness) / 2(1 − p).
// When stickiness is too low for p (a transition probability above 1), the flow
// (1 − stickiness) / 2 is capped at min(p, 1 − p): p still holds, the chain is as
// unsticky as it can be. Pure functions; thread-safe.
#pragma once

namespace iiot {

struct SwitchTransitions {
  double on_to_off = 0;  // P(off at the next sample | on now)
  double off_to_on = 0;  // P(on at the next sample | off now)
};

SwitchTransitions SwitchTransitionsFor(double p_on, double stickiness);

// The usage pattern: p_on moved by amplitude × shape (shape in [-1, 1], a day cycle),
// clamped to [0, 1]. Its mean over a day is p_on when nothing is clamped.
double UsageProbability(double p_on, double amplitude, double shape);

}  // namespace iiot
