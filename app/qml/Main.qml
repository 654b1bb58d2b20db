pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import Facet

ApplicationWindow {
    id: window
    width: 1100
    height: 760
    visible: true
    title: chat.modelLoaded ? qsTr("Facet — %1").arg(chat.modelName) : qsTr("Facet")
    color: theme.background

    property alias chatPage: chatPage

    // The desktop's light or dark preference (XDG portal, else the palette).
    SystemColorScheme {
        id: systemScheme
        objectName: "systemColorScheme"
    }

    Theme {
        id: theme
        objectName: "theme"
        dark: chat.settings.theme === "dark" || (chat.settings.theme !== "light" && systemScheme.dark)
        fontSize: chat.settings.fontSize
    }

    KeyText {
        id: keys
    }

    // Controls follow the theme: Material's colors, and the palette for other
    // styles (QT_QUICK_CONTROLS_STYLE=Fusion draws from it).
    Material.theme: theme.dark ? Material.Dark : Material.Light
    Material.accent: theme.accent
    Material.primary: theme.accent
    Material.background: theme.surface
    Material.foreground: theme.text
    palette.window: theme.background
    palette.windowText: theme.text
    palette.base: theme.surface
    palette.text: theme.text
    palette.button: theme.surface
    palette.buttonText: theme.text
    palette.placeholderText: theme.mutedText
    palette.highlight: theme.accent
    font.pixelSize: theme.bodySize
    font.capitalization: Font.MixedCase  // Material's buttons would shout in capitals

    SettingsDialog {
        id: settingsDialog
        objectName: "settingsDialog"
        settings: chat.settings
        server: apiServer
        theme: theme
        anchors.centerIn: parent
    }

    // Settings → Server: the OpenAI-compatible API over the chat's model
    // (starts at launch when it was left on).
    LocalApiServer {
        id: apiServer
        objectName: "apiServer"
        chat: chat
    }

    Shortcut {
        sequences: [StandardKey.Preferences]
        onActivated: settingsDialog.open()
    }
    Shortcut {
        sequence: "Ctrl+,"
        onActivated: settingsDialog.open()
    }

    ModelManager {
        id: models
        objectName: "models"
        settings: chat.settings
        // A finished download goes straight into the chat when nothing is loaded.
        onModelReady: (path) => { if (!chat.modelLoaded && !chat.loading) window.openModel(path) }
        onEmbeddingModelReady: (path) => documents.embeddingModel = path
    }

    ModelsDialog {
        id: modelsDialog
        objectName: "modelsDialog"
        manager: models
        theme: theme
        anchors.centerIn: parent
        onUseModel: (path) => window.openModel(path)
    }

    Shortcut {
        sequence: "Ctrl+M"
        onActivated: modelsDialog.open()
    }

    DocumentLibrary {
        id: documents
        objectName: "documents"
    }

    DocumentsDialog {
        id: documentsDialog
        objectName: "documentsDialog"
        library: documents
        theme: theme
        anchors.centerIn: parent
        onUseCollection: (indexPath) => chat.attachDocumentLibrary(indexPath)
        onDownloadEmbeddingModel: {
            if (models.downloadCatalogEntry("embeddinggemma-300m-q8_0")) {
                modelsDialog.currentTab = 2
                modelsDialog.open()
            }
        }
    }

    Shortcut {
        sequence: "Ctrl+D"
        onActivated: documentsDialog.open()
    }

    // "Add remote server…", made on first use: an unused dialog costs nothing.
    Component {
        id: remoteDialogComponent
        RemoteServerDialog {
            objectName: "remoteDialog"
            servers: chat.remotes
            theme: theme
            anchors.centerIn: parent
        }
    }
    QtObject {
        id: remoteDialog
        property var dialog: null
        function make() {
            if (!dialog) dialog = remoteDialogComponent.createObject(window.contentItem)
        }
        function open() {
            make()
            dialog.startAdd()
            dialog.open()
        }
        function edit(serverId, name, baseUrl, allowInsecure) {
            make()
            dialog.startEdit(serverId, name, baseUrl, allowInsecure)
            dialog.open()
        }
    }

    // "Remote servers…": the saved ones, with Edit… and Remove; made on first use too.
    Component {
        id: serversDialogComponent
        RemoteServersDialog {
            objectName: "remoteServersDialog"
            servers: chat.remotes
            theme: theme
            anchors.centerIn: parent
            onEditServer: (serverId, name, baseUrl, allowInsecure) => remoteDialog.edit(serverId, name, baseUrl, allowInsecure)
            onAddServer: remoteDialog.open()
        }
    }
    QtObject {
        id: serversDialog
        property var dialog: null
        function open() {
            if (!dialog) dialog = serversDialogComponent.createObject(window.contentItem)
            dialog.open()
        }
    }

    Shortcut {
        sequence: "Ctrl+Shift+R"
        onActivated: remoteDialog.open()
    }

    // Facts about the opened file (size, layers, what it needs).
    ModelInfoController {
        id: info
    }

    // The interface's language: Settings' choice, "" = the system's (app/desktop/app_translator.h).
    AppTranslator {
        objectName: "appTranslator"
        language: chat.settings.language
    }

    ChatController {
        id: chat
        objectName: "chat"
        libraryTitles: documents.titles
        Component.onCompleted: {
            search("")
            if (initialModelPath !== "") window.openModel(initialModelPath)
        }
    }

    function openModel(path) {
        if (models.kindOf(path) === "embedding") {  // EmbeddingGemma: for Documents, not the chat
            documents.embeddingModel = path
            documentsDialog.open()
            return
        }
        info.openModel(path)
        chat.loadModel(path)
    }

    FileDialog {
        id: openDialog
        title: qsTr("Open a Gemma 4 model (.gguf)")
        nameFilters: [qsTr("GGUF models (*.gguf)"), qsTr("All files (*)")]
        onAccepted: window.openModel(chat.urlToPath(selectedFile))
    }

    FolderDialog {
        id: folderDialog
        title: qsTr("Open a Hugging Face model folder")
        onAccepted: window.openModel(chat.urlToPath(selectedFolder))
    }

    Shortcut {
        sequences: [StandardKey.Open]
        onActivated: openDialog.open()
    }

    Drawer {
        id: infoDrawer
        edge: Qt.RightEdge
        width: Math.min(window.width * 0.6, 560)
        height: window.height
        ModelPanel {
            anchors.fill: parent
            controller: info
            theme: theme
        }
    }

    ShortcutsSheet {
        id: shortcutsSheet
        objectName: "shortcutsSheet"
        theme: theme
        keys: keys
        anchors.centerIn: parent
    }

    Shortcut {
        sequence: "F1"
        onActivated: shortcutsSheet.open()
    }

    header: MainToolBar {
        chat: chat
        theme: theme
        keys: keys
        infoAvailable: info.modelPath !== ""
        onOpenModel: (path) => window.openModel(path)
        onOpenModels: modelsDialog.open()
        onOpenDocuments: documentsDialog.open()
        onOpenSettings: settingsDialog.open()
        onOpenInfo: infoDrawer.open()
        onOpenFile: openDialog.open()
        onOpenFolder: folderDialog.open()
        onAddRemote: remoteDialog.open()
        onRemoteServers: serversDialog.open()
        onShowShortcuts: shortcutsSheet.open()
    }

    // The pages run edge to edge (the chat's sidebar); the banner keeps a margin.
    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Rectangle {
            Layout.fillWidth: true
            Layout.margins: theme.spacing
            visible: chat.banner !== "" || info.error !== ""
            color: theme.errorBackground
            radius: theme.radius
            implicitHeight: bannerRow.implicitHeight + 2 * theme.spacing
            RowLayout {
                id: bannerRow
                anchors.fill: parent
                anchors.margins: theme.spacing
                Label {
                    Layout.fillWidth: true
                    text: chat.banner !== "" ? chat.banner : info.error
                    color: theme.error
                    wrapMode: Text.Wrap
                    Accessible.role: Accessible.AlertMessage
                    Accessible.name: text
                }
                Button {
                    visible: chat.lostModel !== "" && !chat.loading
                    text: qsTr("Reload model")
                    onClicked: chat.loadModel(chat.lostModel)
                    Accessible.name: text
                }
                ToolButton {
                    icon.source: theme.icon("x")
                    icon.color: theme.error
                    display: AbstractButton.IconOnly
                    onClicked: chat.dismissBanner()
                    Accessible.role: Accessible.Button
                    Accessible.name: qsTr("Dismiss")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Dismiss")
                }
            }
        }

        WelcomeCard {
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: !chat.modelLoaded && !chat.loading && chat.conversations.count === 0
            theme: theme
            onDownload: { modelsDialog.currentTab = 0; modelsDialog.open() }
            onOpenFile: openDialog.open()
            onOpenFolder: folderDialog.open()
            onUseRemote: remoteDialog.open()
        }

        ChatPage {
            id: chatPage
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: chat.modelLoaded || chat.loading || chat.conversations.count > 0
            chat: chat
            theme: theme
        }
    }
}
