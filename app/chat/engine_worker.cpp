#include "engine_worker.h"

#include <algorithm>

#include "decoded_image_cache.h"
#include "doc_embedder_cache.h"
#include "document_retrieval.h"
#include "passage_reranker.h"
#include "runtime/chat_session.h"
#include "vision/projector_pairing.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

EngineWorker::EngineWorker(QObject* parent)
    : QObject(parent), embedders_(std::make_unique<DocEmbedderCache>()), images_(std::make_unique<DecodedImageCache>()) {}

// An API job may still hold the session: wait for it, then free the model
// while the server's engine may still hold `shared_` (it then sees none).
EngineWorker::~EngineWorker() {
    std::lock_guard<std::timed_mutex> use(shared_->use);
    replaceSession(nullptr, {});
}

void EngineWorker::replaceSession(std::unique_ptr<facet::ChatSession> next, const QString& path) {
    std::unique_lock<std::shared_mutex> parts(shared_->parts);
    shared_->session.reset();  // free the old model's device memory before anything else
    shared_->session = std::move(next);
    shared_->path = path.toStdString();
}

void EngineWorker::load(const QString& path, const QVariantMap& options) {
    std::lock_guard<std::timed_mutex> use(shared_->use);
    if (session() && path == path_ && options == options_) {
        emit loaded(path_, QString::fromStdString(session()->deviceName()), session()->contextSize(), projector_,
                    imageNote_);
        return;
    }
    replaceSession(nullptr, {});  // free the old model's device memory first
    path_.clear();
    projector_.clear();
    imageNote_.clear();
    facet::BackendChoice c;
    c.backend = options.value("backend").toString().toStdString();
    c.device = options.value("device").toString().toStdString();
    c.maxContext = options.value("context", 4096).toInt();
    c.progress = [this](uint64_t done, uint64_t total) {
        if (total) emit loadProgress(static_cast<double>(done) / static_cast<double>(total));
    };
    c.tuning = [this] { emit loadTuning(); };
    // Image input: the projector beside a GGUF model, or an HF folder's own
    // vision tower (headers only: quick).
    std::string projector;
    const facet::ProjectorPairing pairing = facet::findProjector(path.toStdString());
    if (pairing.paired())
        projector = pairing.path;
    else
        imageNote_ = QString::fromStdString(pairing.reason);
    auto s = facet::ChatSession::open(path.toStdString(), c, projector);
    if (!s.ok() && !projector.empty() && s.message().find(projector) != std::string::npos) {
        // The projector is what failed: chat without pictures, and say why.
        imageNote_ = QString::fromStdString(s.message());
        projector.clear();
        s = facet::ChatSession::open(path.toStdString(), c);
    }
    if (!s.ok()) {
        imageNote_.clear();
        emit loadFailed(path, QString::fromStdString(s.message()));
        return;
    }
    replaceSession(std::move(s).value(), path);
    path_ = path;
    options_ = options;
    projector_ = QString::fromStdString(projector);
    emit loaded(path, QString::fromStdString(session()->deviceName()), session()->contextSize(), projector_,
                imageNote_);
}

void EngineWorker::yieldToInterface() {
#ifdef __linux__
    // Linux applies nice values per thread (setpriority with the thread id).
    const auto tid = static_cast<id_t>(syscall(SYS_gettid));
    setpriority(PRIO_PROCESS, tid, getpriority(PRIO_PROCESS, tid) + 4);
#endif
}

void EngineWorker::unload() {
    std::lock_guard<std::timed_mutex> use(shared_->use);
    dropSession();
}

void EngineWorker::dropSession() {
    replaceSession(nullptr, {});
    path_.clear();
}

void EngineWorker::generate(quint64 requestId, const QVariantList& history, const QVariantMap& settings) {
    // A chat reply waiting for an API job blocks only this thread.
    std::lock_guard<std::timed_mutex> use(shared_->use);
    generateLocked(requestId, history, settings);
}

void EngineWorker::generateLocked(quint64 requestId, const QVariantList& history, const QVariantMap& settings) {
    if (!session()) {
        emit failed(requestId, tr("No model is loaded."), false);
        return;
    }
    std::vector<facet::ChatMessage> msgs;
    int imagesLeftOut = 0;
    QStringList imageErrors;
    for (const QVariant& v : history) {
        const QVariantMap m = v.toMap();
        const QString role = m.value("role").toString();
        facet::ChatMessage cm;
        cm.role = role == "system" ? facet::ChatMessage::System
                  : role == "model" ? facet::ChatMessage::Model
                                    : facet::ChatMessage::User;
        cm.text = m.value("text").toString().toStdString();
        for (const QVariant& p : m.value("images").toList()) {
            // A model without a projector answers the text: earlier pictures
            // (sent to another model) are left out, and the stats say so.
            if (!session()->seesImages()) {
                ++imagesLeftOut;
                continue;
            }
            auto image = images_->get(p.toString());
            if (image.ok())
                cm.images.push_back(std::move(image).value());
            else  // a stored picture deleted or damaged on disk: the rest of the chat goes on
                imageErrors << QString::fromStdString(image.message());
        }
        msgs.push_back(std::move(cm));
    }
    facet::ChatSettings cs;
    cs.sampling.temperature = settings.value("temperature", 1.0).toFloat();
    cs.sampling.topK = settings.value("topK", 64).toInt();
    cs.sampling.topP = settings.value("topP", 0.95).toFloat();
    cs.sampling.minP = settings.value("minP", 0.0).toFloat();
    cs.sampling.repeatPenalty = settings.value("repeatPenalty", 1.0).toFloat();
    cs.sampling.seed = settings.value("seed", 0).toULongLong();
    cs.maxTokens = settings.value("maxTokens", 1024).toInt();
    cs.thinking = settings.value("thinking", false).toBool();
    cs.imageTokens = settings.value("imageTokens", facet::kImageTokensDefault).toInt() >= facet::kImageTokensDetailed
                         ? facet::kImageTokensDetailed
                         : facet::kImageTokensDefault;

    // cancel is cleared by the caller before it queues the request, so a
    // stop that comes before the reply starts is not lost.
    auto r = session()->reply(msgs, cs, &cancel, [&](const facet::ChatOutput& d) {
        emit delta(requestId, QString::fromStdString(d.thinking), QString::fromStdString(d.answer));
    });
    if (!r.ok()) {
        const bool lost = session()->lost();
        if (lost) dropSession();  // nothing on a lost device can run again
        emit failed(requestId, QString::fromStdString(r.message()), lost);
        return;
    }
    const facet::ChatReply& rep = r.value();
    QVariantMap st;
    st["promptTokens"] = rep.promptTokens;
    st["userTokens"] = rep.userTokens;
    st["reusedTokens"] = rep.stats.reusedTokens;
    st["generated"] = rep.stats.generated;
    st["prefillSeconds"] = rep.stats.prefillSeconds;
    st["decodeSeconds"] = rep.stats.decodeSeconds;
    st["stopReason"] = QString::fromUtf8(facet::stopReasonName(rep.stats.reason));
    st["droppedMessages"] = rep.droppedMessages;
    st["contextUsed"] = session()->cachedTokens();
    st["contextSize"] = session()->contextSize();
    st["imagesEncoded"] = rep.imagesEncoded;
    st["encodeSeconds"] = rep.encodeSeconds;
    st["imagesLeftOut"] = imagesLeftOut;
    st["imageErrors"] = imageErrors;
    emit finished(requestId, st);
}

void EngineWorker::generateWithDocuments(quint64 requestId, const QVariantList& history, const QVariantMap& settings,
                                         const QStringList& libraries) {
    std::lock_guard<std::timed_mutex> use(shared_->use);  // the rerank runs the model too
    if (!session() || history.isEmpty()) {
        emit failed(requestId, tr("No model is loaded."), false);
        return;
    }
    // The passages and question are one user message that must fit beside
    // the system prompt and the room kept for the answer (at most half the
    // context, as ChatSession keeps); older turns are dropped first.
    const int context = session()->contextSize();
    const int reserve = std::clamp(settings.value("maxTokens", 1024).toInt(), 1, std::max(1, context / 2));
    const QVariantMap first = history.first().toMap();
    const bool hasSystem = first.value("role").toString() == QLatin1String("system");
    const auto turn = [](facet::ChatMessage::Role role, const QString& text) {
        facet::ChatMessage m;
        m.role = role;
        m.text = text.toStdString();
        return m;
    };
    const auto countTokens = [&](const QString& message) {
        std::vector<facet::ChatMessage> msgs;
        if (hasSystem) msgs.push_back(turn(facet::ChatMessage::System, first.value("text").toString()));
        msgs.push_back(turn(facet::ChatMessage::User, message));
        auto n = session()->promptTokens(msgs, settings.value("thinking", false).toBool());
        return n.ok() ? n.value() : context + 1;
    };
    const QString question = history.last().toMap().value("text").toString();
    RetrievalOptions options;
    options.embedders = embedders_.get();
    QStringList notes;
    if (rerankWanted(settings)) {
        auto scorer = sessionScorer(*session());
        if (scorer.ok()) options.rerank = std::move(scorer.value());
        else notes << QStringLiteral("rerank: %1").arg(QString::fromStdString(scorer.message()));
    }
    // The question's pictures come with it: room for each at the most it may take.
    const int pictures = session()->seesImages() ? int(history.last().toMap().value("images").toList().size()) : 0;
    const int pictureTokens = pictures * settings.value("imageTokens", facet::kImageTokensDefault).toInt();
    auto retrieved = retrieveForQuestion(libraries, question, context - reserve - pictureTokens, countTokens, options);
    if (!retrieved.ok()) {
        emit failed(requestId, QString::fromStdString(retrieved.message()), false);
        return;
    }
    if (session()->lost()) {  // the rerank ran into a lost device: nothing can run again
        dropSession();
        emit failed(requestId, tr("The GPU was lost while ranking passages."), true);
        return;
    }
    emit documentsRetrieved(requestId, retrieved->prompt, sourcesToJson(retrieved->sources), notes + retrieved->skipped,
                            retrieved->dropped);
    QVariantList withPassages = history;
    QVariantMap last = withPassages.last().toMap();
    last["text"] = retrieved->prompt;
    withPassages.last() = last;
    generateLocked(requestId, withPassages, settings);
}

bool EngineWorker::rerankWanted(const QVariantMap& settings) const {
    const QString mode = settings.value("rerank", "auto").toString();
    if (mode == QLatin1String("on")) return true;
    if (mode == QLatin1String("off")) return false;
    // auto: a rerank is one prefill per candidate, cheap on a GPU, seconds on a CPU.
    return session() && !session()->onCpuDevice();
}
