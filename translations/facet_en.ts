<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AttachmentListModel</name>
    <message>
        <source>%1 · %2×%3 · %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: there is no folder to keep pictures in (%2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AttachmentRow</name>
    <message>
        <source>Attached picture %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove picture %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking pictures</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <source>Conversations cannot be saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The pictures are still being checked; send again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save the conversation: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown export format %1 (markdown or json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not export to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n older message(s) were left out to fit the context.</source>
        <translation>
            <numerusform>%n older message was left out to fit the context.</numerusform>
            <numerusform>%n older messages were left out to fit the context.</numerusform>
        </translation>
    </message>
    <message>
        <source>The GPU stopped responding and %1 was unloaded; the answer so far is kept. Reload the model to go on. (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reply failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No document library at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save the attached library: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save the attached libraries: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save the answer&apos;s sources: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No passage in the attached libraries matched the question.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n passage(s) were left out to fit the context.</source>
        <translation>
            <numerusform>%n passage was left out to fit the context.</numerusform>
            <numerusform>%n passages were left out to fit the context.</numerusform>
        </translation>
    </message>
    <message>
        <source>Search notes: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is no longer there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s) encoded in %1 s</source>
        <translation>
            <numerusform>%n picture encoded in %1 s</numerusform>
            <numerusform>%n pictures encoded in %1 s</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is a remote model: Facet sends remote models text only, so pictures cannot be attached. Pick a local model that sees images to chat about pictures.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not see pictures (%2). Get its image support with “Download image support” on the Models page (Ctrl+M), or pick a model that sees images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: only pictures on this computer can be attached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pasted picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not keep the picture %1 with the conversation: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s) of this conversation were left out: %1 does not see pictures.</source>
        <translation>
            <numerusform>%n picture of this conversation was left out: %1 does not see pictures.</numerusform>
            <numerusform>%n pictures of this conversation were left out: %1 does not see pictures.</numerusform>
        </translation>
    </message>
    <message>
        <source>Pictures that could not be read were left out: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not use %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remote models get text only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remote server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The remote server %1 was removed, so its model is no longer in use. Choose another model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no remote server for %1 any more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the API key of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The attached documents were not searched: remote models answer from the conversation alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s) of this conversation were not sent: remote models get text only.</source>
        <translation>
            <numerusform>%n picture of this conversation was not sent: remote models get text only.</numerusform>
            <numerusform>%n pictures of this conversation were not sent: remote models get text only.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChatHeader</name>
    <message>
        <source>Answering from:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Library %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detach</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detach library %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach library…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer from the documents of an indexed library (Ctrl+L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach a document library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export conversation…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatPage</name>
    <message>
        <source>Rename conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach a document library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document libraries (*.sqlite *.db)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach pictures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.webp *.gif *.bmp)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop pictures to attach them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sidebar edge: drag to resize the sidebar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2 · %3 tokens/s · context %4 / %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask %1 anything.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a model to start chatting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter adds a line. Ctrl+L answers from a document library.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CodeBlock</name>
    <message>
        <source>Code block %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>This model does not see pictures: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach pictures (Ctrl+Shift+A), or drop or paste them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach pictures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message (Enter sends, Shift+Enter adds a line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a model to start chatting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop generating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Older</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DocumentLibrary</name>
    <message>
        <source>Keyword search only: no embedding model is set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the embedding model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embedding model not used: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EmbeddingGemma in its reduced form (no dense head), on %1: semantic search works but ranks less well.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EmbeddingGemma on %1: hybrid keyword and semantic search.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DocumentsDialog</name>
    <message>
        <source>Documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a folder (watched for changes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose an EmbeddingGemma model (.gguf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Documents (*.pdf *.docx *.odt *.epub *.html *.htm *.md *.txt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New collection name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create collection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collection %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n file</numerusform>
            <numerusform>%n files</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n passage(s)</source>
        <translation>
            <numerusform>%n passage</numerusform>
            <numerusform>%n passages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n skipped</source>
        <translation>
            <numerusform>%n skipped</numerusform>
            <numerusform>%n skipped</numerusform>
        </translation>
    </message>
    <message>
        <source>Create a collection, then add folders or drop files on it. Facet indexes them on this machine and answers with citations to file and page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search by meaning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download EmbeddingGemma</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EmbeddingGemma 300M (about 330 MB) finds passages by meaning as well as by their words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose an embedding model file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyword only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop using the embedding model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collection name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use in this chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answers in the current chat cite this collection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete collection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folders and files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rescan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rescan the collection now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder (watched): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %1 from the collection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop folders or files here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Indexing progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused at file %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Indexing file %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source> · %n passage(s)</source>
        <translation>
            <numerusform> · %n passage</numerusform>
            <numerusform>· %n passages</numerusform>
        </translation>
    </message>
    <message>
        <source> · %1 embeddings/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume indexing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause indexing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 skipped: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete this collection?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its index is deleted. Your files are not touched.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EngineWorker</name>
    <message>
        <source>No model is loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The GPU was lost while ranking passages.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HfClient</name>
    <message>
        <source>the repository is gated or private: add a Hugging Face token in the settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not found on Hugging Face</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected answer from the Hugging Face search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a repository name: %1 (expected owner/name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected answer from the Hugging Face file list</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImageFileWorker</name>
    <message>
        <source>%1: a folder, not a picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot open: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 bytes, more than a picture may have (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: read error: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the clipboard&apos;s picture is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2×%3 pixels, expected at most %4 per side and %5 in all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot encode the picture as PNG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot keep a copy in %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InstalledModelsModel</name>
    <message>
        <source>EmbeddingGemma (reduced: no dense head)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not in the models folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not delete %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is neither a .gguf file nor a Hugging Face model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the models folder %1 cannot be created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is already in the models folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not link %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not copy %1 into the models folder (is the disk full?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>part %1 of %2 (%3) is missing</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LaunchOptions</name>
    <message>
        <source>Chat with Gemma 4 models on your own computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a window of its own instead of handing MODEL to the Facet that is already running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A .gguf file or a Hugging Face model folder to open.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LocalApiServer</name>
    <message>
        <source>&quot;%1&quot; is not an origin like http://localhost:3000 (scheme, host, optional port).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the API key: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot store the API key: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot listen on port %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Facet — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Facet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a Gemma 4 model (.gguf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a Hugging Face model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainToolBar</name>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Facet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add remote server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remote servers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tuning for this GPU (first load)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2. Switch to a model you used before, or a remote server&apos;s (Ctrl+Shift+R adds a server)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch to a model you used before, or a remote server&apos;s (Ctrl+Shift+R adds a server; Remote servers… edits them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open model file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open model folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageBubble</name>
    <message>
        <source>You: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide thinking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show thinking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (thought for %1 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Picture %1: show it larger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Picture missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerate the answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show earlier answer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(incomplete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edited message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel editing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save and resend</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n token</numerusform>
            <numerusform>%n tokens</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ModelLoader</name>
    <message>
        <source>yes, with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no: a GGUF model with its mmproj file sees pictures</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelManager</name>
    <message>
        <source>%1 RAM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · no GPU (models run on the CPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · %1 (shares the RAM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · %1 with %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not enough disk space for %1: it needs %2, %3 has %4 free.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No catalog entry %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not list the files of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no file matching %2: the repository may have changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in %2 is not the file the catalog knows (sha256 differs).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is no catalog model with image support to download.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 image support</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a file of %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 KiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layers</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelPathCheck</name>
    <message>
        <source>%1: no such file or folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder “%1” holds no model. Facet opens .gguf files and Hugging Face model folders (with config.json and .safetensors files).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not a model. Facet opens .gguf files and Hugging Face model folders.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelsDialog</name>
    <message>
        <source>Models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search Hugging Face</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downloads (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking this machine…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context length for the fit estimate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · about %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>May be slow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Won&apos;t fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search Gemma 4 GGUF repositories (e.g. gemma-4 e4b)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1  ·  %2 downloads · %3 likes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a repository to see its GGUF files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 parts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No downloads. Pick a model in the catalog or search Hugging Face.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove from list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %1 from the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · file %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2/s · %3 left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifying the checksum…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done and verified · %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for another download to finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the models folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import .gguf…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a Hugging Face model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Link instead of copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No models yet. Download one, import one, or drop a .gguf file here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sees images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sees images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot be opened: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 · %3 B parameters · context %4 · %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use for documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use %1 for document search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download image support</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download image support for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete this model?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 will be removed from the disk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its image support, %1, goes too unless another model uses it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OpenAiClient</name>
    <message>
        <source>Nothing answers at %1: is the server running?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host %1 was not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 stopped answering (timed out)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The TLS connection to %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not talk to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s answer is too large</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server reported an error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server closed the connection before the answer was complete</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PdfViewer</name>
    <message>
        <source>PDF viewer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find in document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the viewer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PictureViewer</name>
    <message>
        <source>Picture %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open in image viewer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This picture is missing or damaged.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>New chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot move %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (label %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>catalog: %1 at offset %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>catalog: no &quot;models&quot; array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>catalog entry %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: missing or repeated &quot;id&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): missing &quot;%3&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): format must be gguf or safetensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): kind must be chat or embedding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): no include patterns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): &quot;mmproj&quot; is only for GGUF chat models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): &quot;mmproj&quot; must be a file name pattern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): repo must be owner/name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): sha256 must be 64 hex digits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the built-in catalog is missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown variant %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>system keyring: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the system keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server sent something that is not JSON (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server reported an error without a message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the API key (HTTP %1)%2. Check the key in the server&apos;s settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not found on the server (HTTP 404)%1. Check the base URL and the model name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server is busy or over its rate limit (HTTP 429)%1. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server failed (HTTP %1)%2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server answered HTTP %1%2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server&apos;s model list has no &quot;data&quot; array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not valid JSON: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the server&apos;s address, for example http://localhost:8080</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not a server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only http:// and https:// addresses are supported, not %1://</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put the API key in its own field, not in the address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 uses plain http to another computer: the API key and your messages would travel unencrypted. Use https, or confirm that this is what you want.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server sent a line longer than %1 MiB</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RemoteServerDialog</name>
    <message>
        <source>Add remote server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit remote server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Lab vLLM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base URL (with or without /v1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>http://localhost:8080</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests go to %1/v1/…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New API key (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kept in the system keyring, never in settings files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>leave empty to keep the saved key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the key and my messages unencrypted over plain http to this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Testing the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Connected: %n model(s)</source>
        <translation>
            <numerusform>Connected: %n model</numerusform>
            <numerusform>Connected: %n models</numerusform>
        </translation>
    </message>
    <message>
        <source>Models on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved (no API key).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved. No system keyring answered, so the key is in %1, readable only by you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved. The key is in %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RemoteServers</name>
    <message>
        <source>The server answered but lists no models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the saved API key: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server was removed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RemoteServersDialog</name>
    <message>
        <source>Remote servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved remote servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n model(s)</source>
        <translation>
            <numerusform>%1 · %n model</numerusform>
            <numerusform>%1 · %n models</numerusform>
        </translation>
    </message>
    <message>
        <source>No API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No remote servers yet. Add one to chat with its models.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this server?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 and its saved API key will be removed. A chat using one of its models goes back to no model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a remote server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServerSettings</name>
    <message>
        <source>Local API server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serves the model loaded in the chat through an OpenAI-compatible API (/v1/chat/completions, /v1/completions, /v1/models). The chat and the API share the model and take turns.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serve the loaded model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model is loaded: requests are answered 503 until one is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server address %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On your network: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow other computers on the network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anyone on your network who has the key can use the model. Share the key only with people you trust.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send thinking as &quot;reasoning&quot; (newer vLLM clients) instead of &quot;reasoning_content&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerate the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send it as &quot;Authorization: Bearer KEY&quot;. Kept in %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowed origins (browser apps, CORS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>http://localhost:3000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New allowed origin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add the origin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the request log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No requests yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1  %2 %3  %4  %5 + %6 tokens  %7 tok/s  %8 ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Font size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU (index or name; empty = best)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hugging Face token (gated models)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional: hf_… (kept in the system keyring, not in the settings file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hugging Face token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rerank document passages with the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto (on with a GPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rerank document passages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More detail for pictures (slower)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pictures take four times as many tokens: finer detail, slower replies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Defaults for new models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Defaults for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temperature %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top-p %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Min-p %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Min-p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat penalty %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat penalty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max tokens per reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context length (applies on the next load)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset these to the defaults</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutsSheet</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a model file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a remote server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo deleting a conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New line in the message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the last answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach pictures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste a picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat with a document collection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF viewer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the viewer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move through the conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename the selected conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected conversation</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>New chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search titles and messages (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bring the conversation back (Ctrl+Z)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up and Down choose, Enter opens, F2 renames, Delete deletes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click or F2 to rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename (F2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename conversation %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export conversation %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete (Del)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete conversation %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No conversation matches “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your conversations appear here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SourcesPanel</name>
    <message>
        <source>Sources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source %1: %2 %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opens the document at this page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Less</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show less of the passage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show all of the passage</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WelcomeCard</name>
    <message>
        <source>Welcome to Facet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Facet runs Google&apos;s Gemma 4 models on your own computer, on any GPU. Download one from the catalog (Facet tells you which fit this machine), or open a Gemma 4 .gguf file or Hugging Face model folder you already have. Your conversations stay on this machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download a model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gemma 4 models from the catalog, with what fits this machine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a model file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A Gemma 4 .gguf file you already have</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a model folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A Hugging Face model folder (safetensors)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a remote server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An OpenAI-compatible server (vLLM, llama.cpp, Ollama…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Get started</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
