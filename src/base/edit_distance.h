// "Did you mean ...?" for unknown keys and IIOT_* variables: the closest valid name by
// edit distance. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iiot {

// Optimal-string-alignment distance (insert, delete, substitute, swap two adjacent
// characters), ignoring ASCII case.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `name` when close enough to be a typo (at most a third of the
// name's length, 1..3 edits); ties go to the earlier candidate.
std::optional<std::string> ClosestMatch(std::string_view name,
                                        const std::vector<std::string>& candidates);

// " (did you mean X?)", or "" when nothing is close.
std::string DidYouMean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace iiot
