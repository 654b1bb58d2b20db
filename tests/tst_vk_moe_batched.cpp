// The batched MoE expert products of a prefill chunk: moe_route.comp's
// route table against the grouping it must describe, and the batched
// moe_mat_vec (gate_up: a row per slot from its token's input; down: a
// weighted row per slot, then moe_slot_sum's per-token sum) against the CPU
// twin (cpu::matmul over each chosen expert's rows, summed in double as
// CpuForward::moe does). Every weight type, both reductions, an expert with
// more slots than one tile holds, experts with none, the stacked tensor in
// several pieces over more than 4 binding windows, accumulate; an id past
// the experts is in no tile, so its rows are left as they were.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <vector>

#include "cpu/ops.h"
#include "model/quantize.h"
#include "model/tensor_view.h"
#include "support/expert_tensor.h"
#include "support/vk_op_test.h"
#include "support/vk_op_test_case.h"
#include "vulkan/ops/moe_mat_vec_op.h"
#include "vulkan/ops/moe_route_op.h"

using namespace facet;
using namespace facet::test;

Q_DECLARE_METATYPE(facet::GgmlType)

namespace {

// As tst_vk_moe_mat_vec: bit-exact dequantization, fp32 sums in another
// order than the CPU's double sums; a wrong expert, slot or row gives NMSE ~1.
constexpr double kMaxNmse = 1e-10;
constexpr double kMaxAbs = 1e-3;

constexpr int E = 6, K = 4, nTok = 5;
// Expert 0 takes 10 slots (two tiles of 8), expert 5 none, slot 7 a bad id.
const std::vector<uint32_t> kIds = {0, 1, 2, 3, 0, 2, 4, 9, 0, 1, 3, 4, 0, 2, 1, 3, 0, 4, 3, 1};
constexpr int kBadSlot = 7;

}  // namespace

class TstVkMoeBatched : public VkOpTestCase {
    Q_OBJECT

    // Runs the route over kIds on `dev`; the table as read back.
    std::vector<uint32_t> route(vk::Device& dev, std::unique_ptr<vk::Buffer>& table) {
        const uint32_t nSlots = nTok * K;
        auto bIds = makeBuffer(dev, kIds, "ids");
        table = makeBuffer(dev, std::vector<uint32_t>(vk::moeTableWords(nSlots, E), 0xDEADBEEFu), "table");
        if (!bIds || !table) return {};
        vk::MoeRouteArgs a;
        a.ids = bIds->whole();
        a.table = table->whole();
        a.nSlots = nSlots;
        a.nExperts = E;
        auto cmd = vk::Cmd::create(dev, "moe_route test");
        if (!cmd.ok() || !cmd.value()->begin().ok()) return {};
        Status s = vk::dispatchMoeRoute(*cmd.value(), a);
        if (s.ok()) s = cmd.value()->submitAndWait();
        if (!s.ok()) qWarning("%s", s.message().c_str());
        std::vector<uint32_t> got;
        if (!s.ok() || !download(dev, *table, got)) return {};
        return got;
    }

private slots:
    void routeTableGroupsSlotsByExpert() {
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        std::unique_ptr<vk::Buffer> table;
        const std::vector<uint32_t> t = route(*dev, table);
        QVERIFY(!t.empty());
        const uint32_t nSlots = nTok * K, maxTiles = vk::moeMaxTiles(nSlots, E);
        QCOMPARE(t[1], 2 + 4 * maxTiles);
        const uint32_t* slotList = t.data() + t[1];
        // The expected grouping: experts in order, slots ascending within each,
        // tiles of at most 8; the bad id nowhere.
        std::vector<uint32_t> wantSlots;
        std::vector<std::array<uint32_t, 3>> wantTiles;
        for (uint32_t e = 0; e < E; ++e) {
            const uint32_t first = uint32_t(wantSlots.size());
            for (uint32_t s = 0; s < nSlots; ++s)
                if (kIds[s] == e) wantSlots.push_back(s);
            for (uint32_t k = first; k < wantSlots.size(); k += vk::kMoeTileSlots)
                wantTiles.push_back({e, k, std::min<uint32_t>(k + vk::kMoeTileSlots, uint32_t(wantSlots.size()))});
        }
        QCOMPARE(wantSlots.size(), size_t(nSlots - 1));
        QCOMPARE(t[0], uint32_t(wantTiles.size()));
        for (size_t i = 0; i < wantTiles.size(); ++i)
            for (int f = 0; f < 3; ++f) QCOMPARE(t[2 + 4 * i + f], wantTiles[i][f]);
        for (size_t k = 0; k < wantSlots.size(); ++k) QCOMPARE(slotList[k], wantSlots[k]);
    }

    void matchesCpuTwin_data() {
        QTest::addColumn<GgmlType>("type");
        QTest::addColumn<bool>("down");
        QTest::addColumn<bool>("subgroups");
        QTest::addColumn<int>("pieces");
        QTest::addColumn<quint64>("maxBinding");
        for (GgmlType t : kShaderTypes) {
            const char* n = typeInfo(t).name;
            QTest::addRow("%s gate_up subgroup", n) << t << false << true << 1 << quint64(0);
            QTest::addRow("%s down shared", n) << t << true << false << 1 << quint64(0);
            QTest::addRow("%s down in 3 pieces, over 4 windows", n) << t << true << true << 3 << quint64(32768);
        }
    }

    void matchesCpuTwin() {
        QFETCH(GgmlType, type);
        QFETCH(bool, down);
        QFETCH(bool, subgroups);
        QFETCH(int, pieces);
        QFETCH(quint64, maxBinding);
        vk::Device* dev = bench_.device(subgroups, maxBinding);
        QVERIFY(dev);

        const bool kq = typeInfo(type).blockElems == 256;
        const bool fl = type == GgmlType::F32 || type == GgmlType::F16 || type == GgmlType::BF16;
        // (windowed: rows long enough that the 20 slot rows of y fit one small binding)
        const int cols = kq ? 256 : fl ? 67 : maxBinding ? 128 : 96;
        const uint64_t rb = rowBytes(type, cols);
        const int R = maxBinding ? int(5 * maxBinding / (E * rb)) + 3 : down ? 19 : 10;
        const uint32_t seed = uint32_t(int(type) * 541 + (down ? 7 : 0));
        const auto experts = makeExpertTensor(*dev, type, E, R, cols, pieces, seed);
        QVERIFY(experts);
        const TensorView& W = experts->view;

        const int nSlots = nTok * K;
        const std::vector<float> rw = nonZero(size_t(nSlots), 0.1f, 1.0f, seed + 1);
        const int nx = down ? nSlots : nTok;
        const int xStride = cols + 2, yStride = R + 3;
        const std::vector<float> x = nonZero(size_t(nx) * xStride, 0.05f, 1.0f, seed + 2);
        // Slot rows (gate_up's output, down's intermediate), then down's token rows.
        const std::vector<float> ys0 = nonZero(size_t(nSlots) * yStride, 0.05f, 1.0f, seed + 3);
        const std::vector<float> y0 = nonZero(size_t(nTok) * R, 0.05f, 1.0f, seed + 4);

        std::vector<double> slotRef(size_t(nSlots) * R, 0.0);
        std::vector<float> part(R);
        for (int s = 0; s < nSlots; ++s) {
            if (s == kBadSlot) continue;
            const int e = int(kIds[s]);
            cpu::matmul(W, int64_t(e) * R, int64_t(e + 1) * R, x.data() + size_t(down ? s : s / K) * xStride, 1, cols,
                        part.data(), R);
            for (int r = 0; r < R; ++r) slotRef[size_t(s) * R + r] = (down ? double(rw[s]) : 1.0) * part[r];
        }

        std::unique_ptr<vk::Buffer> table;
        QVERIFY(!route(*dev, table).empty());
        auto bW = makeBuffer(*dev, rw, "weights");
        auto bX = makeBuffer(*dev, x, "x");
        auto bYs = makeBuffer(*dev, ys0, "slot rows");
        auto bY = makeBuffer(*dev, y0, "y");
        QVERIFY(bW && bX && bYs && bY);

        vk::MoeMatVecArgs a;
        a.weight = experts->pieces;
        a.type = type;
        a.cols = cols;
        a.rowsPerExpert = R;
        a.nExperts = E;
        a.table = table->whole();
        if (down) a.weights = bW->whole();
        a.x = bX->whole();
        a.y = bYs->whole();
        a.nOut = nSlots;
        a.xDiv = down ? 1 : K;
        a.xStride = xStride;
        a.yStride = yStride;
        a.accumulate = !down;  // gate_up adds to the rows; down writes them for the sum
        auto cmd = vk::Cmd::create(*dev, "moe batched test");
        QVERIFY(cmd.ok() && cmd.value()->begin().ok());
        Status st = vk::dispatchMoeMatVec(*cmd.value(), a);
        QVERIFY2(st.ok(), st.message().c_str());
        if (maxBinding) QVERIFY(cmd.value()->dispatches() >= 2);  // more than 4 windows
        st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());
        std::vector<float> gotSlots;
        QVERIFY(download(*dev, *bYs, gotSlots));

        std::vector<float> ref;
        std::vector<float> got;
        std::vector<size_t> index;
        for (int s = 0; s < nSlots; ++s)
            for (int r = 0; r < yStride; ++r) {
                const float before = ys0[size_t(s) * yStride + r];
                if (r >= R || s == kBadSlot) {  // gaps and the bad id's rows: untouched
                    QCOMPARE(gotSlots[size_t(s) * yStride + r], before);
                    continue;
                }
                ref.push_back(float(slotRef[size_t(s) * R + r] + (down ? 0.0 : before)));
                got.push_back(gotSlots[size_t(s) * yStride + r]);
                index.push_back(index.size());
            }
        FACET_VERIFY_COMPARISON(compareFloats(ref, got, kMaxAbs, index), kMaxNmse);
        if (!down) return;

        // Each token's sum over its K slot rows, added to y (the bad slot's row
        // is excluded: its token is checked against what the kernel left there).
        std::vector<float> packed(size_t(nSlots) * R);
        for (int s = 0; s < nSlots; ++s)
            for (int r = 0; r < R; ++r) packed[size_t(s) * R + r] = gotSlots[size_t(s) * yStride + r];
        auto bPacked = makeBuffer(*dev, packed, "packed slot rows");
        QVERIFY(bPacked);
        vk::MoeSlotSumArgs sum;
        sum.ys = bPacked->whole();
        sum.y = bY->whole();
        sum.nTok = nTok;
        sum.k = K;
        sum.rows = R;
        sum.accumulate = true;
        QVERIFY(cmd.value()->begin().ok());
        st = vk::dispatchMoeSlotSum(*cmd.value(), sum);
        QVERIFY2(st.ok(), st.message().c_str());
        QVERIFY(cmd.value()->submitAndWait().ok());
        std::vector<float> gotY;
        QVERIFY(download(*dev, *bY, gotY));
        std::vector<float> refY(size_t(nTok) * R);
        index.clear();
        for (int t = 0; t < nTok; ++t)
            for (int r = 0; r < R; ++r) {
                double acc = y0[size_t(t) * R + r];
                for (int j = 0; j < K; ++j) acc += packed[size_t(t * K + j) * R + r];
                refY[size_t(t) * R + r] = float(acc);
                index.push_back(index.size());
            }
        FACET_VERIFY_COMPARISON(compareFloats(refY, gotY, kMaxAbs, index), kMaxNmse);
    }
};

QTEST_GUILESS_MAIN(TstVkMoeBatched)
#include "tst_vk_moe_batched.moc"
