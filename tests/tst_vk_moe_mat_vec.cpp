// moe_mat_vec.comp against its CPU twin (cpu::matmul over each chosen
// expert's rows, weighted and summed in double as CpuForward::moe does):
// the gate_up form (one output per token and expert, shared token input) and
// the down form (router-weighted sum over the K experts), every weight type,
// expert ids read from a GPU buffer, the stacked tensor in several pieces
// and split into more than 4 binding windows, both reductions, accumulate.
#include <QtTest>
#include <cmath>
#include <vector>

#include "cpu/ops.h"
#include "model/quantize.h"
#include "model/tensor_view.h"
#include "support/expert_tensor.h"
#include "support/vk_op_test.h"
#include "support/vk_op_test_case.h"
#include "vulkan/ops/moe_mat_vec_op.h"

using namespace facet;
using namespace facet::test;

Q_DECLARE_METATYPE(facet::GgmlType)

namespace {

// As tst_vk_mat_vec (bit-exact dequantization, fp32 sums of <= 512 products
// in another order than the CPU's double sum): NMSE ~1e-13 expected; the down
// form adds K = 4 weighted terms. A wrong expert or row gives NMSE ~1.
constexpr double kMaxNmse = 1e-10;
constexpr double kMaxAbs = 1e-3;


}  // namespace

class TstVkMoeMatVec : public VkOpTestCase {
    Q_OBJECT
private slots:
    void matchesCpuTwin_data() {
        QTest::addColumn<GgmlType>("type");
        QTest::addColumn<bool>("down");         // down form (weighted sum) or gate_up form
        QTest::addColumn<bool>("subgroups");
        QTest::addColumn<int>("pieces");        // the stacked tensor stored in this many pieces
        QTest::addColumn<quint64>("maxBinding");  // 0 = device limit
        for (GgmlType t : kShaderTypes) {
            const char* n = typeInfo(t).name;
            QTest::addRow("%s gate_up subgroup", n) << t << false << true << 1 << quint64(0);
            QTest::addRow("%s down shared", n) << t << true << false << 1 << quint64(0);
            QTest::addRow("%s down in 3 pieces, over 4 windows", n) << t << true << true << 3 << quint64(16384);
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
        QCOMPARE(dev->caps().subgroupReduce(), subgroups);

        const bool kq = typeInfo(type).blockElems == 256;
        const int E = 6, K = 4, nTok = 3;
        const int cols = kq ? 256 : (type == GgmlType::F32 || type == GgmlType::F16 || type == GgmlType::BF16 ? 67 : 96);
        const uint64_t rb = rowBytes(type, cols);
        // Rows per expert; with a binding limit, enough for more than 4 windows.
        const int R = maxBinding ? int(5 * maxBinding / (E * rb)) + 3 : down ? 19 : 10;
        const uint32_t seed = uint32_t(int(type) * 977 + (down ? 13 : 0));
        const auto experts = makeExpertTensor(*dev, type, E, R, cols, pieces, seed);
        QVERIFY(experts);
        const TensorView& W = experts->view;

        // Expert choices per token (distinct, any order) and router weights.
        const std::vector<uint32_t> ids = {5, 0, 3, 1, 2, 4, 0, 1, 5, 3, 2, 0};
        const std::vector<float> rw = nonZero(size_t(nTok) * K, 0.1f, 1.0f, seed + 1);
        const int nSlots = nTok * K;
        const int nx = down ? nSlots : nTok;  // down: one input per slot; gate_up: per token
        const int xStride = cols + 2, yStride = R + 3;
        const std::vector<float> x = nonZero(size_t(nx) * xStride, 0.05f, 1.0f, seed + 2);
        const int nOut = down ? nTok : nSlots;
        const std::vector<float> y0 = nonZero(size_t(nOut) * yStride, 0.05f, 1.0f, seed + 3);

        std::vector<float> ref(y0.size(), 0.0f);
        std::vector<size_t> index;
        std::vector<float> part(R);
        for (int v = 0; v < nOut; ++v) {
            std::vector<double> acc(R, 0.0);
            for (int j = 0; j < (down ? K : 1); ++j) {
                const int s = v * (down ? K : 1) + j;
                const int e = int(ids[s]);
                const float* xs = x.data() + size_t(down ? s : s / K) * xStride;
                cpu::matmul(W, int64_t(e) * R, int64_t(e + 1) * R, xs, 1, cols, part.data(), R);
                for (int r = 0; r < R; ++r) acc[r] += (down ? double(rw[s]) : 1.0) * part[r];
            }
            for (int r = 0; r < R; ++r) {
                ref[size_t(v) * yStride + r] = float(acc[r] + y0[size_t(v) * yStride + r]);  // accumulate mode
                index.push_back(size_t(v) * yStride + r);
            }
        }

        auto bIds = makeBuffer(*dev, ids, "ids");
        auto bW = makeBuffer(*dev, rw, "weights");
        auto bX = makeBuffer(*dev, x, "x");
        auto bY = makeBuffer(*dev, y0, "y");
        QVERIFY(bIds && bW && bX && bY);

        vk::MoeMatVecArgs a;
        a.weight = experts->pieces;
        a.type = type;
        a.cols = cols;
        a.rowsPerExpert = R;
        a.nExperts = E;
        a.ids = bIds->whole();
        if (down) a.weights = bW->whole();
        a.x = bX->whole();
        a.y = bY->whole();
        a.nOut = nOut;
        a.group = down ? K : 1;
        a.xDiv = down ? 1 : K;
        a.xStride = xStride;
        a.yStride = yStride;
        a.accumulate = true;
        auto cmd = vk::Cmd::create(*dev, "moe_mat_vec test");
        QVERIFY(cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        Status st = vk::dispatchMoeMatVec(*cmd.value(), a);
        QVERIFY2(st.ok(), st.message().c_str());
        if (maxBinding) QVERIFY(cmd.value()->dispatches() >= 2);  // more than 4 windows: several dispatches
        st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());
        std::vector<float> got;
        QVERIFY(download(*dev, *bY, got));
        const Comparison c = compareFloats(ref, got, kMaxAbs, index);
        FACET_VERIFY_COMPARISON(c, kMaxNmse);
        // Gaps between output rows are untouched.
        for (int v = 0; v < nOut; ++v)
            for (int r = R; r < yStride; ++r) QCOMPARE(got[size_t(v) * yStride + r], y0[size_t(v) * yStride + r]);
    }

    void badExpertIdGivesNaN() {
        vk::Device* dev = bench_.device(true, 0);
        QVERIFY(dev);
        const int cols = 32, R = 4, E = 2;
        const std::vector<float> w = nonZero(size_t(E) * R * cols, 0.1f, 1.0f, 3);
        const std::vector<uint32_t> ids = {1, 7};  // 7 >= E
        const std::vector<float> x = nonZero(size_t(2) * cols, 0.1f, 1.0f, 4);
        auto bw = makeBuffer(*dev, w, "w");
        auto bi = makeBuffer(*dev, ids, "ids");
        auto bx = makeBuffer(*dev, x, "x");
        auto by = makeBuffer(*dev, nullptr, 2 * R * 4, "y");
        QVERIFY(bw && bi && bx && by);
        const vk::TensorPiece piece{bw->whole(), 0, E * R};
        vk::MoeMatVecArgs a;
        a.weight = {&piece, 1};
        a.type = GgmlType::F32;
        a.cols = cols;
        a.rowsPerExpert = R;
        a.nExperts = E;
        a.ids = bi->whole();
        a.x = bx->whole();
        a.y = by->whole();
        a.nOut = 2;
        auto cmd = vk::Cmd::create(*dev, "moe_mat_vec bad id");
        QVERIFY(cmd.ok() && cmd.value()->begin().ok());
        QVERIFY(vk::dispatchMoeMatVec(*cmd.value(), a).ok());
        QVERIFY(cmd.value()->submitAndWait().ok());
        std::vector<float> got;
        QVERIFY(download(*dev, *by, got));
        for (int r = 0; r < R; ++r) {
            QVERIFY(std::isfinite(got[r]));  // expert 1: a real product
            QVERIFY(std::isnan(got[R + r]));  // expert 7 does not exist
        }
    }
};

QTEST_GUILESS_MAIN(TstVkMoeMatVec)
#include "tst_vk_moe_mat_vec.moc"
