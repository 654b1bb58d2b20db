<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>AttachmentListModel</name>
    <message>
        <source>%1 · %2×%3 · %4</source>
        <translation>%1 · %2×%3 · %4</translation>
    </message>
    <message>
        <source>%1: there is no folder to keep pictures in (%2)</source>
        <translation>%1 : aucun dossier pour conserver les images (%2)</translation>
    </message>
</context>
<context>
    <name>AttachmentRow</name>
    <message>
        <source>Attached picture %1</source>
        <translation>Image jointe %1</translation>
    </message>
    <message>
        <source>Remove picture %1</source>
        <translation>Retirer l’image %1</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <source>Checking pictures</source>
        <translation>Vérification des images</translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <source>Conversations cannot be saved: %1</source>
        <translation>Impossible d’enregistrer les conversations : %1</translation>
    </message>
    <message>
        <source>Could not load %1: %2</source>
        <translation>Impossible de charger %1 : %2</translation>
    </message>
    <message>
        <source>The pictures are still being checked; send again in a moment.</source>
        <translation>Les images sont encore en cours de vérification ; renvoyez dans un instant.</translation>
    </message>
    <message>
        <source>Picture</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>Could not save the conversation: %1</source>
        <translation>Impossible d’enregistrer la conversation : %1</translation>
    </message>
    <message>
        <source>Unknown export format %1 (markdown or json)</source>
        <translation>Format d’exportation inconnu %1 (markdown ou json)</translation>
    </message>
    <message>
        <source>Could not export to %1: %2</source>
        <translation>Impossible d’exporter vers %1 : %2</translation>
    </message>
    <message numerus="yes">
        <source>%n older message(s) were left out to fit the context.</source>
        <translation>
            <numerusform>%n message plus ancien a été omis pour tenir dans le contexte.</numerusform>
            <numerusform>%n messages plus anciens ont été omis pour tenir dans le contexte.</numerusform>
        </translation>
    </message>
    <message>
        <source>The GPU stopped responding and %1 was unloaded; the answer so far is kept. Reload the model to go on. (%2)</source>
        <translation>Le GPU ne répond plus et %1 a été déchargé ; la réponse obtenue jusqu’ici est conservée. Rechargez le modèle pour continuer. (%2)</translation>
    </message>
    <message>
        <source>The reply failed: %1</source>
        <translation>La réponse a échoué : %1</translation>
    </message>
    <message>
        <source>Deleted “%1”</source>
        <translation>« %1 » supprimée</translation>
    </message>
    <message>
        <source>No document library at %1</source>
        <translation>Aucune bibliothèque de documents à %1</translation>
    </message>
    <message>
        <source>Could not save the attached library: %1</source>
        <translation>Impossible d’enregistrer la bibliothèque jointe : %1</translation>
    </message>
    <message>
        <source>Could not save the attached libraries: %1</source>
        <translation>Impossible d’enregistrer les bibliothèques jointes : %1</translation>
    </message>
    <message>
        <source>Could not save the answer&apos;s sources: %1</source>
        <translation>Impossible d’enregistrer les sources de la réponse : %1</translation>
    </message>
    <message>
        <source>No passage in the attached libraries matched the question.</source>
        <translation>Aucun passage des bibliothèques jointes ne correspond à la question.</translation>
    </message>
    <message numerus="yes">
        <source>%n passage(s) were left out to fit the context.</source>
        <translation>
            <numerusform>%n passage a été omis pour tenir dans le contexte.</numerusform>
            <numerusform>%n passages ont été omis pour tenir dans le contexte.</numerusform>
        </translation>
    </message>
    <message>
        <source>Search notes: %1.</source>
        <translation>Remarques sur la recherche : %1.</translation>
    </message>
    <message>
        <source>%1 is no longer there.</source>
        <translation>%1 n’existe plus.</translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s) encoded in %1 s</source>
        <translation>
            <numerusform>%n image encodée en %1 s</numerusform>
            <numerusform>%n images encodées en %1 s</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is a remote model: Facet sends remote models text only, so pictures cannot be attached. Pick a local model that sees images to chat about pictures.</source>
        <translation>%1 est un modèle distant : Facet n’envoie que du texte aux modèles distants, les images ne peuvent donc pas être jointes. Choisissez un modèle local qui voit les images pour discuter d’images.</translation>
    </message>
    <message>
        <source>%1 does not see pictures (%2). Get its image support with “Download image support” on the Models page (Ctrl+M), or pick a model that sees images.</source>
        <translation>%1 ne voit pas les images (%2). Obtenez sa prise en charge des images avec « Télécharger la prise en charge des images » dans la page Modèles (Ctrl+M), ou choisissez un modèle qui voit les images.</translation>
    </message>
    <message>
        <source>%1: only pictures on this computer can be attached</source>
        <translation>%1 : seules les images de cet ordinateur peuvent être jointes</translation>
    </message>
    <message>
        <source>Pasted picture</source>
        <translation>Image collée</translation>
    </message>
    <message>
        <source>Could not keep the picture %1 with the conversation: %2</source>
        <translation>Impossible de conserver l’image %1 avec la conversation : %2</translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s) of this conversation were left out: %1 does not see pictures.</source>
        <translation>
            <numerusform>%n image de cette conversation a été omise : %1 ne voit pas les images.</numerusform>
            <numerusform>%n images de cette conversation ont été omises : %1 ne voit pas les images.</numerusform>
        </translation>
    </message>
    <message>
        <source>Pictures that could not be read were left out: %1.</source>
        <translation>Les images illisibles ont été omises : %1.</translation>
    </message>
    <message>
        <source>Could not use %1: %2</source>
        <translation>Impossible d’utiliser %1 : %2</translation>
    </message>
    <message>
        <source>remote models get text only</source>
        <translation>les modèles distants ne reçoivent que du texte</translation>
    </message>
    <message>
        <source>remote server</source>
        <translation>serveur distant</translation>
    </message>
    <message>
        <source>The remote server %1 was removed, so its model is no longer in use. Choose another model.</source>
        <translation>Le serveur distant %1 a été supprimé, son modèle n’est donc plus utilisé. Choisissez un autre modèle.</translation>
    </message>
    <message>
        <source>There is no remote server for %1 any more</source>
        <translation>Il n’y a plus de serveur distant pour %1</translation>
    </message>
    <message>
        <source>Could not read the API key of %1: %2</source>
        <translation>Impossible de lire la clé d’API de %1 : %2</translation>
    </message>
    <message>
        <source>The attached documents were not searched: remote models answer from the conversation alone.</source>
        <translation>Les documents joints n’ont pas été consultés : les modèles distants répondent à partir de la seule conversation.</translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s) of this conversation were not sent: remote models get text only.</source>
        <translation>
            <numerusform>%n image de cette conversation n’a pas été envoyée : les modèles distants ne reçoivent que du texte.</numerusform>
            <numerusform>%n images de cette conversation n’ont pas été envoyées : les modèles distants ne reçoivent que du texte.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChatHeader</name>
    <message>
        <source>Answering from:</source>
        <translation>Répond à partir de :</translation>
    </message>
    <message>
        <source>Library %1</source>
        <translation>Bibliothèque %1</translation>
    </message>
    <message>
        <source>Detach</source>
        <translation>Détacher</translation>
    </message>
    <message>
        <source>Detach library %1</source>
        <translation>Détacher la bibliothèque %1</translation>
    </message>
    <message>
        <source>Attach library…</source>
        <translation>Joindre une bibliothèque…</translation>
    </message>
    <message>
        <source>Answer from the documents of an indexed library (Ctrl+L)</source>
        <translation>Répondre à partir des documents d’une bibliothèque indexée (Ctrl+L)</translation>
    </message>
    <message>
        <source>Attach a document library</source>
        <translation>Joindre une bibliothèque de documents</translation>
    </message>
    <message>
        <source>Export conversation…</source>
        <translation>Exporter la conversation…</translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation>Exporter la conversation</translation>
    </message>
</context>
<context>
    <name>ChatPage</name>
    <message>
        <source>Rename conversation</source>
        <translation>Renommer la conversation</translation>
    </message>
    <message>
        <source>New title</source>
        <translation>Nouveau titre</translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation>Exporter la conversation</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Attach a document library</source>
        <translation>Joindre une bibliothèque de documents</translation>
    </message>
    <message>
        <source>Document libraries (*.sqlite *.db)</source>
        <translation>Bibliothèques de documents (*.sqlite *.db)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Attach pictures</source>
        <translation>Joindre des images</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.webp *.gif *.bmp)</source>
        <translation>Images (*.png *.jpg *.jpeg *.webp *.gif *.bmp)</translation>
    </message>
    <message>
        <source>Drop pictures to attach them</source>
        <translation>Déposez des images pour les joindre</translation>
    </message>
    <message>
        <source>Sidebar edge: drag to resize the sidebar</source>
        <translation>Bord de la barre latérale : faites glisser pour la redimensionner</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <source>%1 on %2 · %3 tokens/s · context %4 / %5</source>
        <translation>%1 sur %2 · %3 jetons/s · contexte %4 / %5</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Aucun modèle chargé</translation>
    </message>
    <message>
        <source>Ask %1 anything.</source>
        <translation>Demandez ce que vous voulez à %1.</translation>
    </message>
    <message>
        <source>Open a model to start chatting.</source>
        <translation>Ouvrez un modèle pour commencer à discuter.</translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter adds a line. Ctrl+L answers from a document library.</source>
        <translation>Entrée envoie, Shift+Entrée ajoute une ligne. Ctrl+L répond à partir d’une bibliothèque de documents.</translation>
    </message>
</context>
<context>
    <name>CodeBlock</name>
    <message>
        <source>Code block %1</source>
        <translation>Bloc de code %1</translation>
    </message>
    <message>
        <source>code</source>
        <translation>code</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>Copier le code</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>This model does not see pictures: %1</source>
        <translation>Ce modèle ne voit pas les images : %1</translation>
    </message>
    <message>
        <source>Attach pictures (Ctrl+Shift+A), or drop or paste them</source>
        <translation>Joindre des images (Ctrl+Shift+A), ou les déposer ou les coller</translation>
    </message>
    <message>
        <source>Attach pictures</source>
        <translation>Joindre des images</translation>
    </message>
    <message>
        <source>Message (Enter sends, Shift+Enter adds a line)</source>
        <translation>Message (Entrée envoie, Shift+Entrée ajoute une ligne)</translation>
    </message>
    <message>
        <source>Open a model to start chatting</source>
        <translation>Ouvrez un modèle pour commencer à discuter</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <source>Stop generating</source>
        <translation>Arrêter la génération</translation>
    </message>
    <message>
        <source>Send message</source>
        <translation>Envoyer le message</translation>
    </message>
    <message>
        <source>Stop (Esc)</source>
        <translation>Arrêter (Échap)</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>Envoyer (Entrée)</translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message>
        <source>Today</source>
        <translation>Aujourd’hui</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Hier</translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <source>Previous 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>Plus ancien</translation>
    </message>
</context>
<context>
    <name>DocumentLibrary</name>
    <message>
        <source>Keyword search only: no embedding model is set.</source>
        <translation>Recherche par mots-clés seulement : aucun modèle de plongement n’est défini.</translation>
    </message>
    <message>
        <source>Loading the embedding model…</source>
        <translation>Chargement du modèle de plongement…</translation>
    </message>
    <message>
        <source>Embedding model not used: %1</source>
        <translation>Modèle de plongement non utilisé : %1</translation>
    </message>
    <message>
        <source>EmbeddingGemma in its reduced form (no dense head), on %1: semantic search works but ranks less well.</source>
        <translation>EmbeddingGemma sous sa forme réduite (sans tête dense), sur %1 : la recherche sémantique fonctionne mais classe moins bien.</translation>
    </message>
    <message>
        <source>EmbeddingGemma on %1: hybrid keyword and semantic search.</source>
        <translation>EmbeddingGemma sur %1 : recherche hybride par mots-clés et sémantique.</translation>
    </message>
</context>
<context>
    <name>DocumentsDialog</name>
    <message>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>Add a folder (watched for changes)</source>
        <translation>Ajouter un dossier (surveillé)</translation>
    </message>
    <message>
        <source>Choose an EmbeddingGemma model (.gguf)</source>
        <translation>Choisir un modèle EmbeddingGemma (.gguf)</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>Modèles GGUF (*.gguf)</translation>
    </message>
    <message>
        <source>Add documents</source>
        <translation>Ajouter des documents</translation>
    </message>
    <message>
        <source>Documents (*.pdf *.docx *.odt *.epub *.html *.htm *.md *.txt)</source>
        <translation>Documents (*.pdf *.docx *.odt *.epub *.html *.htm *.md *.txt)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>New collection name</source>
        <translation>Nouveau nom de la collection</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Créer</translation>
    </message>
    <message>
        <source>Create collection</source>
        <translation>Créer la collection</translation>
    </message>
    <message>
        <source>Collection %1</source>
        <translation>Collection %1</translation>
    </message>
    <message>
        <source>Create a collection, then add folders or drop files on it. Facet indexes them on this machine and answers with citations to file and page.</source>
        <translation>Créez une collection, puis ajoutez-y des dossiers ou déposez-y des fichiers. Facet les indexe sur cette machine et répond en citant le fichier et la page.</translation>
    </message>
    <message>
        <source>Search by meaning</source>
        <translation>Rechercher par le sens</translation>
    </message>
    <message>
        <source>Download…</source>
        <translation>Télécharger…</translation>
    </message>
    <message>
        <source>Download EmbeddingGemma</source>
        <translation>Télécharger EmbeddingGemma</translation>
    </message>
    <message>
        <source>EmbeddingGemma 300M (about 330 MB) finds passages by meaning as well as by their words</source>
        <translation>EmbeddingGemma 300M (environ 330 Mo) trouve les passages par leur sens comme par leurs mots</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>Choisir un fichier…</translation>
    </message>
    <message>
        <source>Choose an embedding model file</source>
        <translation>Choisir un fichier de modèle de plongement</translation>
    </message>
    <message>
        <source>Keyword only</source>
        <translation>Mots-clés seulement</translation>
    </message>
    <message>
        <source>Stop using the embedding model</source>
        <translation>Ne plus utiliser le modèle de plongement</translation>
    </message>
    <message>
        <source>Collection name</source>
        <translation>Nom de la collection</translation>
    </message>
    <message>
        <source>Use in this chat</source>
        <translation>Utiliser dans cette discussion</translation>
    </message>
    <message>
        <source>Answers in the current chat cite this collection</source>
        <translation>Les réponses de la discussion actuelle citent cette collection</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Delete collection</source>
        <translation>Supprimer la collection</translation>
    </message>
    <message>
        <source>Folders and files</source>
        <translation>Dossiers et fichiers</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>Ajouter un dossier…</translation>
    </message>
    <message>
        <source>Add a folder</source>
        <translation>Ajouter un dossier</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>Ajouter des fichiers…</translation>
    </message>
    <message>
        <source>Add files</source>
        <translation>Ajouter des fichiers</translation>
    </message>
    <message>
        <source>Rescan</source>
        <translation>Réanalyser</translation>
    </message>
    <message>
        <source>Rescan the collection now</source>
        <translation>Réanalyser la collection maintenant</translation>
    </message>
    <message>
        <source>Folder (watched): %1</source>
        <translation>Dossier (surveillé) : %1</translation>
    </message>
    <message>
        <source>File: %1</source>
        <translation>Fichier : %1</translation>
    </message>
    <message>
        <source>Remove %1 from the collection</source>
        <translation>Retirer %1 de la collection</translation>
    </message>
    <message>
        <source>Drop folders or files here</source>
        <translation>Déposez des dossiers ou des fichiers ici</translation>
    </message>
    <message>
        <source>Indexing progress</source>
        <translation>Progression de l’indexation</translation>
    </message>
    <message>
        <source>Paused at file %1 of %2</source>
        <translation>En pause au fichier %1 sur %2</translation>
    </message>
    <message>
        <source>Indexing file %1 of %2</source>
        <translation>Indexation du fichier %1 sur %2</translation>
    </message>
    <message>
        <source> · %1 embeddings/s</source>
        <translation> · %1 plongements/s</translation>
    </message>
    <message>
        <source>Resume indexing</source>
        <translation>Reprendre l’indexation</translation>
    </message>
    <message>
        <source>Pause indexing</source>
        <translation>Suspendre l’indexation</translation>
    </message>
    <message>
        <source>Skipped (%1)</source>
        <translation>Ignorés (%1)</translation>
    </message>
    <message>
        <source>%1 skipped: %2</source>
        <translation>%1 ignoré : %2</translation>
    </message>
    <message>
        <source>Delete this collection?</source>
        <translation>Supprimer cette collection ?</translation>
    </message>
    <message>
        <source>Its index is deleted. Your files are not touched.</source>
        <translation>Son index est supprimé. Vos fichiers ne sont pas modifiés.</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n fichier</numerusform>
            <numerusform>%n fichiers</numerusform>
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
            <numerusform>%n ignoré</numerusform>
            <numerusform>%n ignorés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n passage(s)</source>
        <translation>
            <numerusform> · %n passage</numerusform>
            <numerusform>· %n passages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EngineWorker</name>
    <message>
        <source>No model is loaded.</source>
        <translation>Aucun modèle n’est chargé.</translation>
    </message>
    <message>
        <source>The GPU was lost while ranking passages.</source>
        <translation>Le GPU a été perdu pendant le classement des passages.</translation>
    </message>
</context>
<context>
    <name>HfClient</name>
    <message>
        <source>the repository is gated or private: add a Hugging Face token in the settings</source>
        <translation>le dépôt est à accès restreint ou privé : ajoutez un jeton Hugging Face dans les paramètres</translation>
    </message>
    <message>
        <source>not found on Hugging Face</source>
        <translation>introuvable sur Hugging Face</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>unexpected answer from the Hugging Face search</source>
        <translation>réponse inattendue de la recherche Hugging Face</translation>
    </message>
    <message>
        <source>not a repository name: %1 (expected owner/name)</source>
        <translation>pas un nom de dépôt : %1 (attendu : propriétaire/nom)</translation>
    </message>
    <message>
        <source>unexpected answer from the Hugging Face file list</source>
        <translation>réponse inattendue de la liste de fichiers Hugging Face</translation>
    </message>
</context>
<context>
    <name>ImageFileWorker</name>
    <message>
        <source>%1: a folder, not a picture</source>
        <translation>%1 : un dossier, pas une image</translation>
    </message>
    <message>
        <source>%1: cannot open: %2</source>
        <translation>%1 : ouverture impossible : %2</translation>
    </message>
    <message>
        <source>%1: %2 bytes, more than a picture may have (%3)</source>
        <translation>%1 : %2 octets, plus que ce qu’une image peut avoir (%3)</translation>
    </message>
    <message>
        <source>%1: read error: %2</source>
        <translation>%1 : erreur de lecture : %2</translation>
    </message>
    <message>
        <source>%1: the clipboard&apos;s picture is empty</source>
        <translation>%1 : l’image du presse-papiers est vide</translation>
    </message>
    <message>
        <source>%1: %2×%3 pixels, expected at most %4 per side and %5 in all</source>
        <translation>%1 : %2×%3 pixels, au plus %4 par côté et %5 au total attendus</translation>
    </message>
    <message>
        <source>%1: cannot encode the picture as PNG</source>
        <translation>%1 : impossible d’encoder l’image en PNG</translation>
    </message>
    <message>
        <source>%1: cannot keep a copy in %2: %3</source>
        <translation>%1 : impossible d’en garder une copie dans %2 : %3</translation>
    </message>
</context>
<context>
    <name>InstalledModelsModel</name>
    <message>
        <source>%1 is not in the models folder</source>
        <translation>%1 n’est pas dans le dossier des modèles</translation>
    </message>
    <message>
        <source>could not delete %1</source>
        <translation>impossible de supprimer %1</translation>
    </message>
    <message>
        <source>%1 is neither a .gguf file nor a Hugging Face model folder</source>
        <translation>%1 n’est ni un fichier .gguf ni un dossier de modèle Hugging Face</translation>
    </message>
    <message>
        <source>the models folder %1 cannot be created</source>
        <translation>impossible de créer le dossier des modèles %1</translation>
    </message>
    <message>
        <source>%1 is already in the models folder</source>
        <translation>%1 est déjà dans le dossier des modèles</translation>
    </message>
    <message>
        <source>could not link %1</source>
        <translation>impossible de lier %1</translation>
    </message>
    <message>
        <source>could not copy %1 into the models folder (is the disk full?)</source>
        <translation>impossible de copier %1 dans le dossier des modèles (le disque est-il plein ?)</translation>
    </message>
    <message>
        <source>EmbeddingGemma (reduced: no dense head)</source>
        <translation>EmbeddingGemma (réduit : sans tête dense)</translation>
    </message>
    <message>
        <source>part %1 of %2 (%3) is missing</source>
        <translation>la partie %1 sur %2 (%3) est manquante</translation>
    </message>
</context>
<context>
    <name>LaunchOptions</name>
    <message>
        <source>Chat with Gemma 4 models on your own computer.</source>
        <translation>Discutez avec les modèles Gemma 4 sur votre propre ordinateur.</translation>
    </message>
    <message>
        <source>Open a window of its own instead of handing MODEL to the Facet that is already running.</source>
        <translation>Ouvrir une fenêtre distincte au lieu de confier MODEL au Facet déjà lancé.</translation>
    </message>
    <message>
        <source>A .gguf file or a Hugging Face model folder to open.</source>
        <translation>Un fichier .gguf ou un dossier de modèle Hugging Face à ouvrir.</translation>
    </message>
</context>
<context>
    <name>LocalApiServer</name>
    <message>
        <source>&quot;%1&quot; is not an origin like http://localhost:3000 (scheme, host, optional port).</source>
        <translation>« %1 » n’est pas une origine comme http://localhost:3000 (schéma, hôte, port facultatif).</translation>
    </message>
    <message>
        <source>Cannot read the API key: %1</source>
        <translation>Impossible de lire la clé d’API : %1</translation>
    </message>
    <message>
        <source>Cannot store the API key: %1</source>
        <translation>Impossible d’enregistrer la clé d’API : %1</translation>
    </message>
    <message>
        <source>Cannot listen on port %1: %2</source>
        <translation>Impossible d’écouter sur le port %1 : %2</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Facet — %1</source>
        <translation>Facet — %1</translation>
    </message>
    <message>
        <source>Facet</source>
        <translation>Facet</translation>
    </message>
    <message>
        <source>Open a Gemma 4 model (.gguf)</source>
        <translation>Ouvrir un modèle Gemma 4 (.gguf)</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>Modèles GGUF (*.gguf)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Open a Hugging Face model folder</source>
        <translation>Ouvrir un dossier de modèle Hugging Face</translation>
    </message>
    <message>
        <source>Reload model</source>
        <translation>Recharger le modèle</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>MainToolBar</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Facet</source>
        <translation>Facet</translation>
    </message>
    <message>
        <source>Add remote server…</source>
        <translation>Ajouter un serveur distant…</translation>
    </message>
    <message>
        <source>Remote servers…</source>
        <translation>Serveurs distants…</translation>
    </message>
    <message>
        <source>Tuning for this GPU (first load)…</source>
        <translation>Réglage pour ce GPU (premier chargement)…</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>Aucun modèle</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source>%1 on %2. Switch to a model you used before, or a remote server&apos;s (Ctrl+Shift+R adds a server)</source>
        <translation>%1 sur %2. Passez à un modèle déjà utilisé ou à celui d’un serveur distant (Ctrl+Shift+R ajoute un serveur)</translation>
    </message>
    <message>
        <source>Switch to a model you used before, or a remote server&apos;s (Ctrl+Shift+R adds a server; Remote servers… edits them)</source>
        <translation>Passez à un modèle déjà utilisé ou à celui d’un serveur distant (Ctrl+Shift+R ajoute un serveur ; « Serveurs distants… » les modifie)</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Remote</source>
        <translation>Distant</translation>
    </message>
    <message>
        <source>Loading model</source>
        <translation>Chargement du modèle</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>Model info</source>
        <translation>Infos sur le modèle</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>More</source>
        <translation>Plus</translation>
    </message>
    <message>
        <source>Open model file…</source>
        <translation>Ouvrir un fichier de modèle…</translation>
    </message>
    <message>
        <source>Open model folder…</source>
        <translation>Ouvrir un dossier de modèle…</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
</context>
<context>
    <name>MessageBubble</name>
    <message>
        <source>You: </source>
        <translation>Vous : </translation>
    </message>
    <message>
        <source>Model: </source>
        <translation>Modèle : </translation>
    </message>
    <message>
        <source>Hide thinking</source>
        <translation>Masquer la réflexion</translation>
    </message>
    <message>
        <source>Show thinking</source>
        <translation>Afficher la réflexion</translation>
    </message>
    <message>
        <source> (thought for %1 s)</source>
        <translation> (réflexion : %1 s)</translation>
    </message>
    <message>
        <source>Picture %1: show it larger</source>
        <translation>Image %1 : l’afficher en plus grand</translation>
    </message>
    <message>
        <source>Picture missing</source>
        <translation>Image manquante</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Copy message</source>
        <translation>Copier le message</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Régénérer</translation>
    </message>
    <message>
        <source>Regenerate the answer</source>
        <translation>Régénérer la réponse</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Modifier</translation>
    </message>
    <message>
        <source>Edit message</source>
        <translation>Modifier le message</translation>
    </message>
    <message>
        <source>Answer %1</source>
        <translation>Réponse %1</translation>
    </message>
    <message>
        <source>Show earlier answer %1</source>
        <translation>Afficher la réponse précédente %1</translation>
    </message>
    <message>
        <source>(incomplete)</source>
        <translation>(incomplet)</translation>
    </message>
    <message>
        <source>Edited message</source>
        <translation>Message modifié</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Cancel editing</source>
        <translation>Annuler la modification</translation>
    </message>
    <message>
        <source>Save and resend</source>
        <translation>Enregistrer et renvoyer</translation>
    </message>
    <message numerus="yes">
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n jeton</numerusform>
            <numerusform>%n jetons</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ModelLoader</name>
    <message>
        <source>yes, with %1</source>
        <translation>oui, avec %1</translation>
    </message>
    <message>
        <source>no: %1</source>
        <translation>non : %1</translation>
    </message>
    <message>
        <source>no: a GGUF model with its mmproj file sees pictures</source>
        <translation>non : un modèle GGUF avec son fichier mmproj voit les images</translation>
    </message>
</context>
<context>
    <name>ModelManager</name>
    <message>
        <source>%1 RAM</source>
        <translation>%1 de RAM</translation>
    </message>
    <message>
        <source> · no GPU (models run on the CPU)</source>
        <translation> · pas de GPU (les modèles tournent sur le CPU)</translation>
    </message>
    <message>
        <source> · %1 (shares the RAM)</source>
        <translation> · %1 (partage la RAM)</translation>
    </message>
    <message>
        <source> · %1 with %2</source>
        <translation> · %1 avec %2</translation>
    </message>
    <message>
        <source>Not enough disk space for %1: it needs %2, %3 has %4 free.</source>
        <translation>Pas assez d’espace disque pour %1 : il faut %2, %3 a %4 de libre.</translation>
    </message>
    <message>
        <source>No catalog entry %1.</source>
        <translation>Aucune entrée de catalogue %1.</translation>
    </message>
    <message>
        <source>Could not list the files of %1: %2</source>
        <translation>Impossible de lister les fichiers de %1 : %2</translation>
    </message>
    <message>
        <source>%1 has no file matching %2: the repository may have changed.</source>
        <translation>%1 n’a aucun fichier correspondant à %2 : le dépôt a peut-être changé.</translation>
    </message>
    <message>
        <source>%1 in %2 is not the file the catalog knows (sha256 differs).</source>
        <translation>%1 dans %2 n’est pas le fichier connu du catalogue (sha256 différent).</translation>
    </message>
    <message>
        <source>%1 is no catalog model with image support to download.</source>
        <translation>%1 n’est pas un modèle du catalogue avec une prise en charge des images à télécharger.</translation>
    </message>
    <message>
        <source>%1 image support</source>
        <translation>Prise en charge des images pour %1</translation>
    </message>
    <message>
        <source>Search failed: %1</source>
        <translation>Échec de la recherche : %1</translation>
    </message>
    <message>
        <source>%1 is not a file of %2.</source>
        <translation>%1 n’est pas un fichier de %2.</translation>
    </message>
    <message>
        <source>unknown size</source>
        <translation>taille inconnue</translation>
    </message>
    <message>
        <source>%1 GiB</source>
        <translation>%1 Gio</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1 Mio</translation>
    </message>
    <message>
        <source>%1 KiB</source>
        <translation>%1 Kio</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Couches</translation>
    </message>
</context>
<context>
    <name>ModelPathCheck</name>
    <message>
        <source>%1: no such file or folder</source>
        <translation>%1 : fichier ou dossier introuvable</translation>
    </message>
    <message>
        <source>The folder “%1” holds no model. Facet opens .gguf files and Hugging Face model folders (with config.json and .safetensors files).</source>
        <translation>Le dossier « %1 » ne contient aucun modèle. Facet ouvre les fichiers .gguf et les dossiers de modèle Hugging Face (avec config.json et des fichiers .safetensors).</translation>
    </message>
    <message>
        <source>“%1” cannot be read: %2</source>
        <translation>« %1 » ne peut pas être lu : %2</translation>
    </message>
    <message>
        <source>“%1” is not a model. Facet opens .gguf files and Hugging Face model folders.</source>
        <translation>« %1 » n’est pas un modèle. Facet ouvre les fichiers .gguf et les dossiers de modèle Hugging Face.</translation>
    </message>
</context>
<context>
    <name>ModelsDialog</name>
    <message>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <source>Search Hugging Face</source>
        <translation>Rechercher sur Hugging Face</translation>
    </message>
    <message>
        <source>Downloads (%1)</source>
        <translation>Téléchargements (%1)</translation>
    </message>
    <message>
        <source>Installed (%1)</source>
        <translation>Installés (%1)</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Checking this machine…</source>
        <translation>Analyse de cette machine…</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>Contexte</translation>
    </message>
    <message>
        <source>Context length for the fit estimate</source>
        <translation>Longueur du contexte pour l’estimation</translation>
    </message>
    <message>
        <source>%1 · about %2 · %3</source>
        <translation>%1 · environ %2 · %3</translation>
    </message>
    <message>
        <source>Fits</source>
        <translation>Convient</translation>
    </message>
    <message>
        <source>May be slow</source>
        <translation>Peut être lent</translation>
    </message>
    <message>
        <source>Won&apos;t fit</source>
        <translation>Ne convient pas</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>Installés</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Télécharger</translation>
    </message>
    <message>
        <source>Download %1</source>
        <translation>Télécharger %1</translation>
    </message>
    <message>
        <source>Search Gemma 4 GGUF repositories (e.g. gemma-4 e4b)</source>
        <translation>Rechercher des dépôts GGUF Gemma 4 (p. ex. gemma-4 e4b)</translation>
    </message>
    <message>
        <source>Search text</source>
        <translation>Rechercher du texte</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <source>%1  ·  %2 downloads · %3 likes</source>
        <translation>%1  ·  %2 téléchargements · %3 j’aime</translation>
    </message>
    <message>
        <source>Pick a repository to see its GGUF files.</source>
        <translation>Choisissez un dépôt pour voir ses fichiers GGUF.</translation>
    </message>
    <message>
        <source>%1 (%2 parts)</source>
        <translation>%1 (%2 parties)</translation>
    </message>
    <message>
        <source>No downloads. Pick a model in the catalog or search Hugging Face.</source>
        <translation>Aucun téléchargement. Choisissez un modèle dans le catalogue ou cherchez sur Hugging Face.</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Suspendre</translation>
    </message>
    <message>
        <source>Pause %1</source>
        <translation>Suspendre %1</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Resume %1</source>
        <translation>Reprendre %1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Cancel %1</source>
        <translation>Annuler %1</translation>
    </message>
    <message>
        <source>Remove from list</source>
        <translation>Retirer de la liste</translation>
    </message>
    <message>
        <source>Remove %1 from the list</source>
        <translation>Retirer %1 de la liste</translation>
    </message>
    <message>
        <source>Progress of %1</source>
        <translation>Progression de %1</translation>
    </message>
    <message>
        <source> · file %1 of %2</source>
        <translation> · fichier %1 sur %2</translation>
    </message>
    <message>
        <source>%1 · %2/s · %3 left</source>
        <translation>%1 · %2/s · %3 restant</translation>
    </message>
    <message>
        <source>Verifying the checksum…</source>
        <translation>Vérification de la somme de contrôle…</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Échec : %1</translation>
    </message>
    <message>
        <source>Done and verified · %1</source>
        <translation>Terminé et vérifié · %1</translation>
    </message>
    <message>
        <source>Paused at %1</source>
        <translation>En pause à %1</translation>
    </message>
    <message>
        <source>Waiting for another download to finish</source>
        <translation>En attente de la fin d’un autre téléchargement</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%1 dans %2</translation>
    </message>
    <message>
        <source>Change folder…</source>
        <translation>Changer de dossier…</translation>
    </message>
    <message>
        <source>Change the models folder</source>
        <translation>Changer le dossier des modèles</translation>
    </message>
    <message>
        <source>Import .gguf…</source>
        <translation>Importer un .gguf…</translation>
    </message>
    <message>
        <source>Import folder…</source>
        <translation>Importer un dossier…</translation>
    </message>
    <message>
        <source>Import a Hugging Face model folder</source>
        <translation>Importer un dossier de modèle Hugging Face</translation>
    </message>
    <message>
        <source>Link instead of copy</source>
        <translation>Lier au lieu de copier</translation>
    </message>
    <message>
        <source>No models yet. Download one, import one, or drop a .gguf file here.</source>
        <translation>Pas encore de modèle. Téléchargez-en un, importez-en un ou déposez un fichier .gguf ici.</translation>
    </message>
    <message>
        <source>Sees images</source>
        <translation>Voit les images</translation>
    </message>
    <message>
        <source>%1 sees images</source>
        <translation>%1 voit les images</translation>
    </message>
    <message>
        <source>Cannot be opened: %1</source>
        <translation>Impossible d’ouvrir : %1</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 B parameters · context %4 · %5</source>
        <translation>%1 · %2 · %3 Md de paramètres · contexte %4 · %5</translation>
    </message>
    <message>
        <source>Use for documents</source>
        <translation>Utiliser pour les documents</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Discussion</translation>
    </message>
    <message>
        <source>Use %1 for document search</source>
        <translation>Utiliser %1 pour la recherche dans les documents</translation>
    </message>
    <message>
        <source>Chat with %1</source>
        <translation>Discuter avec %1</translation>
    </message>
    <message>
        <source>Download image support</source>
        <translation>Télécharger la prise en charge des images</translation>
    </message>
    <message>
        <source>Download image support for %1</source>
        <translation>Télécharger la prise en charge des images pour %1</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Supprimer…</translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation>Supprimer %1</translation>
    </message>
    <message>
        <source>Delete this model?</source>
        <translation>Supprimer ce modèle ?</translation>
    </message>
    <message>
        <source>%1 will be removed from the disk.</source>
        <translation>%1 sera supprimé du disque.</translation>
    </message>
    <message>
        <source>Its image support, %1, goes too unless another model uses it.</source>
        <translation>Sa prise en charge des images, %1, est aussi supprimée sauf si un autre modèle l’utilise.</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>Modèles GGUF (*.gguf)</translation>
    </message>
</context>
<context>
    <name>OpenAiClient</name>
    <message>
        <source>Nothing answers at %1: is the server running?</source>
        <translation>Rien ne répond à %1 : le serveur est-il démarré ?</translation>
    </message>
    <message>
        <source>The host %1 was not found</source>
        <translation>L’hôte %1 est introuvable</translation>
    </message>
    <message>
        <source>%1 stopped answering (timed out)</source>
        <translation>%1 ne répond plus (délai dépassé)</translation>
    </message>
    <message>
        <source>The TLS connection to %1 failed: %2</source>
        <translation>La connexion TLS à %1 a échoué : %2</translation>
    </message>
    <message>
        <source>Could not talk to %1: %2</source>
        <translation>Impossible de communiquer avec %1 : %2</translation>
    </message>
    <message>
        <source>The server&apos;s answer is too large</source>
        <translation>La réponse du serveur est trop volumineuse</translation>
    </message>
    <message>
        <source>The server reported an error: %1</source>
        <translation>Le serveur a signalé une erreur : %1</translation>
    </message>
    <message>
        <source>The server closed the connection before the answer was complete</source>
        <translation>Le serveur a fermé la connexion avant la fin de la réponse</translation>
    </message>
</context>
<context>
    <name>PdfViewer</name>
    <message>
        <source>PDF viewer: %1</source>
        <translation>Visionneuse PDF : %1</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>Page précédente</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>Page %1 sur %2</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>Page suivante</translation>
    </message>
    <message>
        <source>Find in document</source>
        <translation>Rechercher dans le document</translation>
    </message>
    <message>
        <source>Close the viewer</source>
        <translation>Fermer la visionneuse</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Fermer (Échap)</translation>
    </message>
</context>
<context>
    <name>PictureViewer</name>
    <message>
        <source>Picture %1</source>
        <translation>Image %1</translation>
    </message>
    <message>
        <source>Open in image viewer</source>
        <translation>Ouvrir dans la visionneuse d’images</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Close the picture</source>
        <translation>Fermer l’image</translation>
    </message>
    <message>
        <source>This picture is missing or damaged.</source>
        <translation>Cette image est manquante ou endommagée.</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>New chat</source>
        <translation>Nouvelle discussion</translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation>impossible de créer le dossier %1</translation>
    </message>
    <message>
        <source>cannot move %1 to %2</source>
        <translation>impossible de déplacer %1 vers %2</translation>
    </message>
    <message>
        <source>p. %1</source>
        <translation>p. %1</translation>
    </message>
    <message>
        <source>%1 (label %2)</source>
        <translation>%1 (libellé %2)</translation>
    </message>
    <message>
        <source>catalog: %1 at offset %2</source>
        <translation>catalogue : %1 à la position %2</translation>
    </message>
    <message>
        <source>catalog: no &quot;models&quot; array</source>
        <translation>catalogue : pas de tableau « models »</translation>
    </message>
    <message>
        <source>catalog entry %1</source>
        <translation>entrée de catalogue %1</translation>
    </message>
    <message>
        <source>: missing or repeated &quot;id&quot;</source>
        <translation> : « id » manquant ou en double</translation>
    </message>
    <message>
        <source>%1 (%2): missing &quot;%3&quot;</source>
        <translation>%1 (%2) : « %3 » manquant</translation>
    </message>
    <message>
        <source>%1 (%2): format must be gguf or safetensors</source>
        <translation>%1 (%2) : le format doit être gguf ou safetensors</translation>
    </message>
    <message>
        <source>%1 (%2): kind must be chat or embedding</source>
        <translation>%1 (%2) : le type doit être chat ou embedding</translation>
    </message>
    <message>
        <source>%1 (%2): no include patterns</source>
        <translation>%1 (%2) : aucun motif d’inclusion</translation>
    </message>
    <message>
        <source>%1 (%2): &quot;mmproj&quot; is only for GGUF chat models</source>
        <translation>%1 (%2) : « mmproj » n’existe que pour les modèles de chat GGUF</translation>
    </message>
    <message>
        <source>%1 (%2): &quot;mmproj&quot; must be a file name pattern</source>
        <translation>%1 (%2) : « mmproj » doit être un motif de nom de fichier</translation>
    </message>
    <message>
        <source>%1 (%2): repo must be owner/name</source>
        <translation>%1 (%2) : repo doit être propriétaire/nom</translation>
    </message>
    <message>
        <source>%1 (%2): sha256 must be 64 hex digits</source>
        <translation>%1 (%2) : sha256 doit compter 64 chiffres hexadécimaux</translation>
    </message>
    <message>
        <source>the built-in catalog is missing</source>
        <translation>le catalogue intégré est manquant</translation>
    </message>
    <message>
        <source>unknown variant %1</source>
        <translation>variante inconnue %1</translation>
    </message>
    <message>
        <source>system keyring: %1</source>
        <translation>trousseau système : %1</translation>
    </message>
    <message>
        <source>error %1</source>
        <translation>erreur %1</translation>
    </message>
    <message>
        <source>the system keyring</source>
        <translation>le trousseau système</translation>
    </message>
    <message>
        <source>the server sent something that is not JSON (%1)</source>
        <translation>le serveur a envoyé autre chose que du JSON (%1)</translation>
    </message>
    <message>
        <source>the server reported an error without a message</source>
        <translation>le serveur a signalé une erreur sans message</translation>
    </message>
    <message>
        <source>The server refused the API key (HTTP %1)%2. Check the key in the server&apos;s settings.</source>
        <translation>Le serveur a refusé la clé d’API (HTTP %1)%2. Vérifiez la clé dans les paramètres du serveur.</translation>
    </message>
    <message>
        <source>Not found on the server (HTTP 404)%1. Check the base URL and the model name.</source>
        <translation>Introuvable sur le serveur (HTTP 404)%1. Vérifiez l’URL de base et le nom du modèle.</translation>
    </message>
    <message>
        <source>The server is busy or over its rate limit (HTTP 429)%1. Try again in a moment.</source>
        <translation>Le serveur est occupé ou a atteint sa limite de débit (HTTP 429)%1. Réessayez dans un instant.</translation>
    </message>
    <message>
        <source>The server failed (HTTP %1)%2.</source>
        <translation>Le serveur a échoué (HTTP %1)%2.</translation>
    </message>
    <message>
        <source>The server answered HTTP %1%2.</source>
        <translation>Le serveur a répondu HTTP %1%2.</translation>
    </message>
    <message>
        <source>the server&apos;s model list has no &quot;data&quot; array</source>
        <translation>la liste des modèles du serveur n’a pas de tableau « data »</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>Impossible de lire %1 : %2</translation>
    </message>
    <message>
        <source>%1 is not valid JSON: %2</source>
        <translation>%1 n’est pas du JSON valide : %2</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>Impossible d’écrire %1 : %2</translation>
    </message>
    <message>
        <source>Enter the server&apos;s address, for example http://localhost:8080</source>
        <translation>Saisissez l’adresse du serveur, par exemple http://localhost:8080</translation>
    </message>
    <message>
        <source>“%1” is not a server address</source>
        <translation>« %1 » n’est pas une adresse de serveur</translation>
    </message>
    <message>
        <source>Only http:// and https:// addresses are supported, not %1://</source>
        <translation>Seules les adresses http:// et https:// sont prises en charge, pas %1://</translation>
    </message>
    <message>
        <source>Put the API key in its own field, not in the address</source>
        <translation>Mettez la clé d’API dans son propre champ, pas dans l’adresse</translation>
    </message>
    <message>
        <source>%1 uses plain http to another computer: the API key and your messages would travel unencrypted. Use https, or confirm that this is what you want.</source>
        <translation>%1 utilise http non chiffré vers un autre ordinateur : la clé d’API et vos messages circuleraient en clair. Utilisez https, ou confirmez que c’est bien ce que vous voulez.</translation>
    </message>
    <message>
        <source>file %1</source>
        <translation>fichier %1</translation>
    </message>
    <message>
        <source>the server sent a line longer than %1 MiB</source>
        <translation>le serveur a envoyé une ligne de plus de %1 Mio</translation>
    </message>
</context>
<context>
    <name>RemoteServerDialog</name>
    <message>
        <source>Add remote server</source>
        <translation>Ajouter un serveur distant</translation>
    </message>
    <message>
        <source>Edit remote server</source>
        <translation>Modifier le serveur distant</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>e.g. Lab vLLM</source>
        <translation>p. ex. vLLM du labo</translation>
    </message>
    <message>
        <source>Server name</source>
        <translation>Nom du serveur</translation>
    </message>
    <message>
        <source>Base URL (with or without /v1)</source>
        <translation>URL de base (avec ou sans /v1)</translation>
    </message>
    <message>
        <source>http://localhost:8080</source>
        <translation>http://localhost:8080</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>URL de base</translation>
    </message>
    <message>
        <source>Requests go to %1/v1/…</source>
        <translation>Les requêtes vont à %1/v1/…</translation>
    </message>
    <message>
        <source>API key (optional)</source>
        <translation>Clé d’API (facultative)</translation>
    </message>
    <message>
        <source>New API key (optional)</source>
        <translation>Nouvelle clé d’API (facultative)</translation>
    </message>
    <message>
        <source>kept in the system keyring, never in settings files</source>
        <translation>conservée dans le trousseau système, jamais dans les fichiers de paramètres</translation>
    </message>
    <message>
        <source>leave empty to keep the saved key</source>
        <translation>laisser vide pour garder la clé enregistrée</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Clé d’API</translation>
    </message>
    <message>
        <source>Send the key and my messages unencrypted over plain http to this computer</source>
        <translation>Envoyer la clé et mes messages en clair par http à cet ordinateur</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Tester la connexion</translation>
    </message>
    <message>
        <source>Testing the connection</source>
        <translation>Test de la connexion</translation>
    </message>
    <message numerus="yes">
        <source>Connected: %n model(s)</source>
        <translation>
            <numerusform>Connecté : %n modèle</numerusform>
            <numerusform>Connecté : %n modèles</numerusform>
        </translation>
    </message>
    <message>
        <source>Models on the server</source>
        <translation>Modèles sur le serveur</translation>
    </message>
    <message>
        <source>Saved (no API key).</source>
        <translation>Enregistré (sans clé d’API).</translation>
    </message>
    <message>
        <source>Saved. No system keyring answered, so the key is in %1, readable only by you.</source>
        <translation>Enregistré. Aucun trousseau système n’a répondu, la clé est donc dans %1, lisible par vous seul.</translation>
    </message>
    <message>
        <source>Saved. The key is in %1.</source>
        <translation>Enregistré. La clé est dans %1.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>RemoteServers</name>
    <message>
        <source>The server answered but lists no models</source>
        <translation>Le serveur répond mais ne liste aucun modèle</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Could not read the saved API key: %1</source>
        <translation>Impossible de lire la clé d’API enregistrée : %1</translation>
    </message>
    <message>
        <source>This server was removed</source>
        <translation>Ce serveur a été supprimé</translation>
    </message>
</context>
<context>
    <name>RemoteServersDialog</name>
    <message>
        <source>Remote servers</source>
        <translation>Serveurs distants</translation>
    </message>
    <message>
        <source>Saved remote servers</source>
        <translation>Serveurs distants enregistrés</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n model(s)</source>
        <translation>
            <numerusform>%1 · %n modèle</numerusform>
            <numerusform>%1 · %n modèles</numerusform>
        </translation>
    </message>
    <message>
        <source>No API key</source>
        <translation>Aucune clé d’API</translation>
    </message>
    <message>
        <source>Key in %1</source>
        <translation>Clé dans %1</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Modifier…</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>Modifier %1</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>Retirer %1</translation>
    </message>
    <message>
        <source>No remote servers yet. Add one to chat with its models.</source>
        <translation>Pas encore de serveur distant. Ajoutez-en un pour discuter avec ses modèles.</translation>
    </message>
    <message>
        <source>Remove this server?</source>
        <translation>Supprimer ce serveur ?</translation>
    </message>
    <message>
        <source>%1 and its saved API key will be removed. A chat using one of its models goes back to no model.</source>
        <translation>%1 et sa clé d’API enregistrée seront supprimés. Une discussion utilisant l’un de ses modèles n’aura plus de modèle.</translation>
    </message>
    <message>
        <source>Add server…</source>
        <translation>Ajouter un serveur…</translation>
    </message>
    <message>
        <source>Add a remote server</source>
        <translation>Ajouter un serveur distant</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>ServerSettings</name>
    <message>
        <source>Local API server</source>
        <translation>Serveur d’API local</translation>
    </message>
    <message>
        <source>Serves the model loaded in the chat through an OpenAI-compatible API (/v1/chat/completions, /v1/completions, /v1/models). The chat and the API share the model and take turns.</source>
        <translation>Sert le modèle chargé dans la discussion via une API compatible OpenAI (/v1/chat/completions, /v1/completions, /v1/models). La discussion et l’API partagent le modèle et l’utilisent à tour de rôle.</translation>
    </message>
    <message>
        <source>Serve the loaded model</source>
        <translation>Servir le modèle chargé</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>En cours</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>Modèle : %1</translation>
    </message>
    <message>
        <source>No model is loaded: requests are answered 503 until one is.</source>
        <translation>Aucun modèle chargé : les requêtes reçoivent la réponse 503 jusqu’à ce qu’un modèle le soit.</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Server address %1</source>
        <translation>Adresse du serveur %1</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Copy the address</source>
        <translation>Copier l’adresse</translation>
    </message>
    <message>
        <source>On your network: %1</source>
        <translation>Sur votre réseau : %1</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Allow other computers on the network</source>
        <translation>Autoriser les autres ordinateurs du réseau</translation>
    </message>
    <message>
        <source>Anyone on your network who has the key can use the model. Share the key only with people you trust.</source>
        <translation>Toute personne de votre réseau qui a la clé peut utiliser le modèle. Ne partagez la clé qu’avec des personnes de confiance.</translation>
    </message>
    <message>
        <source>Send thinking as &quot;reasoning&quot; (newer vLLM clients) instead of &quot;reasoning_content&quot;</source>
        <translation>Envoyer la réflexion comme « reasoning » (clients vLLM récents) au lieu de « reasoning_content »</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Clé d’API</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Masquer</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Afficher</translation>
    </message>
    <message>
        <source>Hide the key</source>
        <translation>Masquer la clé</translation>
    </message>
    <message>
        <source>Show the key</source>
        <translation>Afficher la clé</translation>
    </message>
    <message>
        <source>Copy the key</source>
        <translation>Copier la clé</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Régénérer</translation>
    </message>
    <message>
        <source>Regenerate the key</source>
        <translation>Régénérer la clé</translation>
    </message>
    <message>
        <source>Send it as &quot;Authorization: Bearer KEY&quot;. Kept in %1.</source>
        <translation>Envoyée sous la forme « Authorization: Bearer KEY ». Conservée dans %1.</translation>
    </message>
    <message>
        <source>Allowed origins (browser apps, CORS)</source>
        <translation>Origines autorisées (applications web, CORS)</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>Retirer %1</translation>
    </message>
    <message>
        <source>http://localhost:3000</source>
        <translation>http://localhost:3000</translation>
    </message>
    <message>
        <source>New allowed origin</source>
        <translation>Nouvelle origine autorisée</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <source>Add the origin</source>
        <translation>Ajouter l’origine</translation>
    </message>
    <message>
        <source>Recent requests</source>
        <translation>Requêtes récentes</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <source>Clear the request log</source>
        <translation>Effacer le journal des requêtes</translation>
    </message>
    <message>
        <source>No requests yet.</source>
        <translation>Aucune requête pour l’instant.</translation>
    </message>
    <message>
        <source>%1  %2 %3  %4  %5 + %6 tokens  %7 tok/s  %8 ms</source>
        <translation>%1  %2 %3  %4  %5 + %6 jetons  %7 jet./s  %8 ms</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Général</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Serveur</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Apparence</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Thème</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Système</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>Taille de police</translation>
    </message>
    <message>
        <source>GPU (index or name; empty = best)</source>
        <translation>GPU (indice ou nom ; vide = le meilleur)</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>Models folder</source>
        <translation>Dossier des modèles</translation>
    </message>
    <message>
        <source>Hugging Face token (gated models)</source>
        <translation>Jeton Hugging Face (modèles à accès restreint)</translation>
    </message>
    <message>
        <source>optional: hf_… (kept in the system keyring, not in the settings file)</source>
        <translation>facultatif : hf_… (conservé dans le trousseau système, pas dans le fichier de paramètres)</translation>
    </message>
    <message>
        <source>Hugging Face token</source>
        <translation>Jeton Hugging Face</translation>
    </message>
    <message>
        <source>Rerank document passages with the model</source>
        <translation>Reclasser les passages des documents avec le modèle</translation>
    </message>
    <message>
        <source>Auto (on with a GPU)</source>
        <translation>Automatique (activé avec un GPU)</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Activé</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>Rerank document passages</source>
        <translation>Reclasser les passages des documents</translation>
    </message>
    <message>
        <source>More detail for pictures (slower)</source>
        <translation>Plus de détails pour les images (plus lent)</translation>
    </message>
    <message>
        <source>Pictures take four times as many tokens: finer detail, slower replies</source>
        <translation>Les images prennent quatre fois plus de jetons : détails plus fins, réponses plus lentes</translation>
    </message>
    <message>
        <source>Defaults for new models</source>
        <translation>Valeurs par défaut pour les nouveaux modèles</translation>
    </message>
    <message>
        <source>Defaults for %1</source>
        <translation>Valeurs par défaut pour %1</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Invite système</translation>
    </message>
    <message>
        <source>Temperature %1</source>
        <translation>Température %1</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Température</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Top-p %1</source>
        <translation>Top-p %1</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Min-p %1</source>
        <translation>Min-p %1</translation>
    </message>
    <message>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <source>Repeat penalty %1</source>
        <translation>Pénalité de répétition %1</translation>
    </message>
    <message>
        <source>Repeat penalty</source>
        <translation>Pénalité de répétition</translation>
    </message>
    <message>
        <source>Max tokens per reply</source>
        <translation>Jetons max. par réponse</translation>
    </message>
    <message>
        <source>Context length (applies on the next load)</source>
        <translation>Longueur du contexte (prise en compte au prochain chargement)</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>Longueur du contexte</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>Réflexion</translation>
    </message>
    <message>
        <source>Reset these to the defaults</source>
        <translation>Rétablir les valeurs par défaut</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Par défaut du système</translation>
    </message>
</context>
<context>
    <name>ShortcutsSheet</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Général</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Open a model file</source>
        <translation>Ouvrir un fichier de modèle</translation>
    </message>
    <message>
        <source>Add a remote server</source>
        <translation>Ajouter un serveur distant</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>Nouvelle conversation</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>Rechercher dans les conversations</translation>
    </message>
    <message>
        <source>Undo deleting a conversation</source>
        <translation>Annuler la suppression d’une conversation</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>Envoyer le message</translation>
    </message>
    <message>
        <source>New line in the message</source>
        <translation>Nouvelle ligne dans le message</translation>
    </message>
    <message>
        <source>Stop the answer</source>
        <translation>Arrêter la réponse</translation>
    </message>
    <message>
        <source>Copy the last answer</source>
        <translation>Copier la dernière réponse</translation>
    </message>
    <message>
        <source>Attach pictures</source>
        <translation>Joindre des images</translation>
    </message>
    <message>
        <source>Paste a picture</source>
        <translation>Coller une image</translation>
    </message>
    <message>
        <source>Chat with a document collection</source>
        <translation>Discuter avec une collection de documents</translation>
    </message>
    <message>
        <source>PDF viewer</source>
        <translation>Visionneuse PDF</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>Page suivante</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>Page précédente</translation>
    </message>
    <message>
        <source>Close the viewer</source>
        <translation>Fermer la visionneuse</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>Move through the conversations</source>
        <translation>Parcourir les conversations</translation>
    </message>
    <message>
        <source>Rename the selected conversation</source>
        <translation>Renommer la conversation sélectionnée</translation>
    </message>
    <message>
        <source>Delete the selected conversation</source>
        <translation>Supprimer la conversation sélectionnée</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>New chat</source>
        <translation>Nouvelle discussion</translation>
    </message>
    <message>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>Commencer une nouvelle conversation (Ctrl+N)</translation>
    </message>
    <message>
        <source>Ctrl+N</source>
        <translation>Ctrl+N</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>Rechercher dans les conversations</translation>
    </message>
    <message>
        <source>Search titles and messages (Ctrl+F)</source>
        <translation>Rechercher dans les titres et les messages (Ctrl+F)</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Undo delete</source>
        <translation>Annuler la suppression</translation>
    </message>
    <message>
        <source>Bring the conversation back (Ctrl+Z)</source>
        <translation>Rétablir la conversation (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <source>Up and Down choose, Enter opens, F2 renames, Delete deletes</source>
        <translation>Haut et Bas pour choisir, Entrée ouvre, F2 renomme, Suppr supprime</translation>
    </message>
    <message>
        <source>Double-click or F2 to rename</source>
        <translation>Double-cliquez ou appuyez sur F2 pour renommer</translation>
    </message>
    <message>
        <source>Rename (F2)</source>
        <translation>Renommer (F2)</translation>
    </message>
    <message>
        <source>Rename conversation %1</source>
        <translation>Renommer la conversation %1</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <source>Export conversation %1</source>
        <translation>Exporter la conversation %1</translation>
    </message>
    <message>
        <source>Delete (Del)</source>
        <translation>Supprimer (Suppr)</translation>
    </message>
    <message>
        <source>Delete conversation %1</source>
        <translation>Supprimer la conversation %1</translation>
    </message>
    <message>
        <source>No conversation matches “%1”.</source>
        <translation>Aucune conversation ne correspond à « %1 ».</translation>
    </message>
    <message>
        <source>Your conversations appear here.</source>
        <translation>Vos conversations apparaîtront ici.</translation>
    </message>
</context>
<context>
    <name>SourcesPanel</name>
    <message>
        <source>Sources</source>
        <translation>Sources</translation>
    </message>
    <message>
        <source>Source %1: %2 %3</source>
        <translation>Source %1 : %2 %3</translation>
    </message>
    <message>
        <source>Opens the document at this page</source>
        <translation>Ouvre le document à cette page</translation>
    </message>
    <message>
        <source>Less</source>
        <translation>Moins</translation>
    </message>
    <message>
        <source>More</source>
        <translation>Plus</translation>
    </message>
    <message>
        <source>Show less of the passage</source>
        <translation>Afficher moins du passage</translation>
    </message>
    <message>
        <source>Show all of the passage</source>
        <translation>Afficher tout le passage</translation>
    </message>
</context>
<context>
    <name>WelcomeCard</name>
    <message>
        <source>Welcome to Facet</source>
        <translation>Bienvenue dans Facet</translation>
    </message>
    <message>
        <source>Facet runs Google&apos;s Gemma 4 models on your own computer, on any GPU. Download one from the catalog (Facet tells you which fit this machine), or open a Gemma 4 .gguf file or Hugging Face model folder you already have. Your conversations stay on this machine.</source>
        <translation>Facet exécute les modèles Gemma 4 de Google sur votre propre ordinateur, avec n’importe quel GPU. Téléchargez-en un depuis le catalogue (Facet indique ceux qui conviennent à cette machine), ou ouvrez un fichier .gguf Gemma 4 ou un dossier de modèle Hugging Face que vous avez déjà. Vos conversations restent sur cette machine.</translation>
    </message>
    <message>
        <source>Download a model…</source>
        <translation>Télécharger un modèle…</translation>
    </message>
    <message>
        <source>Gemma 4 models from the catalog, with what fits this machine</source>
        <translation>Modèles Gemma 4 du catalogue, avec ceux qui conviennent à cette machine</translation>
    </message>
    <message>
        <source>Open a model file…</source>
        <translation>Ouvrir un fichier de modèle…</translation>
    </message>
    <message>
        <source>A Gemma 4 .gguf file you already have</source>
        <translation>Un fichier .gguf Gemma 4 que vous avez déjà</translation>
    </message>
    <message>
        <source>Open a model folder…</source>
        <translation>Ouvrir un dossier de modèle…</translation>
    </message>
    <message>
        <source>A Hugging Face model folder (safetensors)</source>
        <translation>Un dossier de modèle Hugging Face (safetensors)</translation>
    </message>
    <message>
        <source>Use a remote server…</source>
        <translation>Utiliser un serveur distant…</translation>
    </message>
    <message>
        <source>An OpenAI-compatible server (vLLM, llama.cpp, Ollama…)</source>
        <translation>Un serveur compatible OpenAI (vLLM, llama.cpp, Ollama…)</translation>
    </message>
    <message>
        <source>Get started</source>
        <translation>Commencer</translation>
    </message>
</context>
</TS>
