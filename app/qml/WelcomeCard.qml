pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.impl
import QtQuick.Layouts
import Facet

// The first screen (no model, no conversations): a centred card with the app's
// icon, what Facet does, and the four ways to get a model. Main.qml acts on the signals.
Item {
    id: welcome
    required property Theme theme

    signal download()
    signal openFile()
    signal openFolder()
    signal useRemote()

    // A full-width action of the card: icon, title and a muted line under it;
    // the first (highlighted) one on the accent color.
    component Action: Button {
        id: action
        property string iconName
        property string detail
        readonly property color ink: highlighted ? welcome.theme.onAccent : welcome.theme.text
        Layout.fillWidth: true
        focusPolicy: Qt.StrongFocus
        hoverEnabled: true
        padding: welcome.theme.spacing
        topInset: 0
        bottomInset: 0
        Accessible.role: Accessible.Button
        Accessible.name: text
        Accessible.description: detail
        contentItem: RowLayout {
            spacing: welcome.theme.spacing
            IconImage {
                source: welcome.theme.icon(action.iconName)
                color: action.ink
                sourceSize.width: welcome.theme.iconSize + 2
                sourceSize.height: welcome.theme.iconSize + 2
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 2
                Label {
                    Layout.fillWidth: true
                    text: action.text
                    font.bold: true
                    color: action.ink
                    elide: Text.ElideRight
                }
                Label {
                    Layout.fillWidth: true
                    text: action.detail
                    font.pixelSize: welcome.theme.smallSize
                    color: action.highlighted ? action.ink : welcome.theme.mutedText
                    opacity: action.highlighted ? 0.85 : 1
                    elide: Text.ElideRight
                }
            }
            IconImage {
                source: welcome.theme.icon("chevron-right")
                color: action.highlighted ? action.ink : welcome.theme.mutedText
                sourceSize.width: welcome.theme.iconSize
                sourceSize.height: welcome.theme.iconSize
            }
        }
        background: Rectangle {
            radius: welcome.theme.radius
            color: action.highlighted ? (action.down ? Qt.darker(welcome.theme.accent, 1.15) : action.hovered ? Qt.lighter(welcome.theme.accent, 1.08) : welcome.theme.accent)
                 : action.down ? welcome.theme.selected : action.hovered ? welcome.theme.hover : "transparent"
            border.width: action.visualFocus ? 2 : (action.highlighted ? 0 : 1)
            border.color: action.visualFocus ? (action.highlighted ? welcome.theme.text : welcome.theme.accent) : welcome.theme.border
        }
    }

    Rectangle {
        id: card
        anchors.centerIn: parent
        width: Math.min(520, welcome.width - 4 * welcome.theme.spacing)
        height: column.implicitHeight + 4 * welcome.theme.spacing
        radius: welcome.theme.radius * 2
        color: welcome.theme.surface
        border.color: welcome.theme.border

        ColumnLayout {
            id: column
            anchors.fill: parent
            anchors.margins: 2 * welcome.theme.spacing
            spacing: welcome.theme.spacing

            Image {
                Layout.alignment: Qt.AlignHCenter
                source: "qrc:/facet/io.github.facet.Facet.svg"
                sourceSize.width: 72
                sourceSize.height: 72
                Layout.preferredWidth: 72
                Layout.preferredHeight: 72
                Accessible.ignored: true
            }
            Label {
                Layout.alignment: Qt.AlignHCenter
                text: qsTr("Welcome to Facet")
                font.pixelSize: welcome.theme.titleSize
                font.bold: true
                color: welcome.theme.text
                Accessible.role: Accessible.Heading
                Accessible.name: text
            }
            Label {
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                color: welcome.theme.mutedText
                text: qsTr("Facet runs Google's Gemma 4 models on your own computer, on any GPU. Download one from the catalog (Facet tells you which fit this machine), or open a Gemma 4 .gguf file or Hugging Face model folder you already have. Your conversations stay on this machine.")
            }
            Item { implicitHeight: welcome.theme.spacing / 2 }
            Label {
                text: qsTr("Get started")
                font.pixelSize: welcome.theme.smallSize
                font.bold: true
                color: welcome.theme.mutedText
                Accessible.role: Accessible.Heading
                Accessible.name: text
            }
            Action {
                objectName: "welcomeDownload"
                text: qsTr("Download a model…")
                detail: qsTr("Gemma 4 models from the catalog, with what fits this machine")
                iconName: "download"
                highlighted: true
                onClicked: welcome.download()
            }
            Action {
                text: qsTr("Open a model file…")
                detail: qsTr("A Gemma 4 .gguf file you already have")
                iconName: "file"
                onClicked: welcome.openFile()
            }
            Action {
                text: qsTr("Open a model folder…")
                detail: qsTr("A Hugging Face model folder (safetensors)")
                iconName: "folder-open"
                onClicked: welcome.openFolder()
            }
            Action {
                objectName: "welcomeRemote"
                text: qsTr("Use a remote server…")
                detail: qsTr("An OpenAI-compatible server (vLLM, llama.cpp, Ollama…)")
                iconName: "globe"
                onClicked: welcome.useRemote()
            }
        }
    }
}
