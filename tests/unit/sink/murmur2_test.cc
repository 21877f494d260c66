// The partitioner the Kafka sink configures (murmur2_random) must put a key where the
// Java client does: Utils.toPositive(Utils.murmur2(key)) % partitions.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace iiot {
namespace {

// Kafka's Utils.murmur2 (seed 0x9747b28c), written out from the Java reference.
int32_t JavaMurmur2(const std::string& data) {
  const uint32_t m = 0x5bd1e995;
  const int r = 24;
  const auto length = static_cast<uint32_t>(data.size());
  uint32_t h = 0x9747b28c ^ length;
  const auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(data[i])); };
  const size_t blocks = data.size() / 4;
  for (size_t i = 0; i < blocks; ++i) {
    uint32_t k = byte(4 * i) | byte(4 * i + 1) << 8 | byte(4 * i + 2) << 16 | byte(4 * i + 3) << 24;
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  const size_t tail = blocks * 4;
  switch (data.size() % 4) {
    case 3:
      h ^= byte(tail + 2) << 16;
      [[fallthrough]];
    case 2:
      h ^= byte(tail + 1) << 8;
      [[fallthrough]];
    case 1:
      h ^= byte(tail);
      h *= m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return static_cast<int32_t>(h);
}

int32_t JavaPartition(const std::string& key, int32_t partitions) {
  return static_cast<int32_t>(static_cast<uint32_t>(JavaMurmur2(key)) & 0x7fffffff) % partitions;
}

int32_t LibrdkafkaPartition(const std::string& key, int32_t partitions) {
  return rd_kafka_msg_partitioner_murmur2_random(nullptr, key.data(), key.size(), partitions,
                                                 nullptr, nullptr);
}

struct Vector {
  std::string key;
  int32_t murmur2;
};

// Kafka's UtilsTest.testMurmur2.
const std::vector<Vector>& KafkaVectors() {
  static const std::vector<Vector> v = {
      {"21", -973932308},
      {"foobar", -790332482},
      {"a-little-bit-long-string", -985981536},
      {"a-little-bit-longer-string", -1486304829},
      {"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971},
      {std::string{'a', 'b', 'c'}, 479470107},
  };
  return v;
}

TEST(Murmur2, ReferenceMatchesKafkaUtilsTestVectors) {
  for (const Vector& v : KafkaVectors()) EXPECT_EQ(JavaMurmur2(v.key), v.murmur2) << v.key;
}

TEST(Murmur2, LibrdkafkaHashIsTheJavaHashMadePositive) {
  // With INT32_MAX partitions, (h & 0x7fffffff) % n is toPositive(h) itself.
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  for (const Vector& v : KafkaVectors()) {
    EXPECT_EQ(LibrdkafkaPartition(v.key, kMax),
              static_cast<int32_t>(static_cast<uint32_t>(v.murmur2) & 0x7fffffff))
        << v.key;
  }
}

TEST(Murmur2, LibrdkafkaPartitionAgreesWithJavaForDeviceKeys) {
  for (const int32_t partitions : {1, 3, 12, 100, 1000}) {
    for (int i = 0; i < 20'000; ++i) {
      const std::string key = "plant1-b03-f02-r014-d" + std::to_string(i);
      ASSERT_EQ(LibrdkafkaPartition(key, partitions), JavaPartition(key, partitions))
          << key << " over " << partitions;
    }
  }
}

}  // namespace
}  // namespace iiot
