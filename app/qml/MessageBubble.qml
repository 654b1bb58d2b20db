import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet

// One message: who wrote it, its thinking (collapsible, with how long it
// took), its text as Markdown prose and fenced code blocks (citations [n] of a
// document answer are links to its sources), the sources, and its actions.
// Parts that most messages never show (the editor, the thinking text, code
// blocks) are created only when needed: a bubble is built per message.
// (No "ComponentBehavior: Bound" here: the code and prose components are
// instantiated by Loaders inside the blocks' Repeater delegates.)
Rectangle {
    id: bubble
    required property Theme theme
    required property ChatController chat
    required property int index
    required property var messageId
    required property int alternatives
    required property string role
    required property string text
    required property string thinking
    required property bool partial
    required property int tokens
    required property var blocks
    required property real thinkingSeconds
    required property var sources  // a document answer's numbered sources (SourcesPanel)
    required property var images   // the pictures sent with a user message: [{source, name}]
    // A thumbnail was clicked: the page shows the picture larger.
    signal showImage(url source, string name)

    readonly property bool fromUser: role === "user"
    property bool editing: false
    implicitHeight: column.implicitHeight + 2 * theme.spacing
    radius: theme.radius
    color: fromUser ? (theme.dark ? Qt.darker(theme.accent, 2.4) : Qt.lighter(theme.accent, 1.85)) : theme.surface
    Accessible.role: Accessible.StaticText
    Accessible.name: (fromUser ? qsTr("You: ") : qsTr("Model: ")) + text

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: bubble.theme.spacing
        spacing: bubble.theme.spacing / 2

        RowLayout {
            Layout.fillWidth: true
            Label {
                text: bubble.fromUser ? qsTr("You") : qsTr("Gemma")
                font.bold: true
                color: bubble.theme.text
            }
            // One label, always there: Qt 6.4's RowLayout does not always
            // place an item that turns visible after the first layout.
            Label {
                readonly property bool incomplete: bubble.partial && !bubble.fromUser && !bubble.chat.generating
                text: (incomplete ? qsTr("(incomplete)") + "  " : "")
                      + (bubble.tokens === 1 ? qsTr("1 token") : bubble.tokens > 1 ? qsTr("%1 tokens").arg(bubble.tokens) : "")
                color: bubble.theme.mutedText
                font.pixelSize: bubble.theme.bodySize - 2
                Accessible.name: text
            }
            Item { Layout.fillWidth: true }
            // Earlier answers to the same prompt: show one (it swaps with this one).
            Repeater {
                model: bubble.fromUser ? 0 : bubble.alternatives
                ToolButton {
                    required property int index
                    text: qsTr("Answer %1").arg(index + 1)
                    enabled: !bubble.chat.generating
                    onClicked: bubble.chat.showAlternative(bubble.messageId, index)
                    Accessible.name: qsTr("Show earlier answer %1").arg(index + 1)
                }
            }
            ToolButton {
                visible: !bubble.fromUser && bubble.index === bubble.ListView.view.count - 1
                enabled: !bubble.chat.generating
                text: qsTr("Regenerate")
                onClicked: bubble.chat.regenerate()
                Accessible.name: qsTr("Regenerate the answer")
            }
            ToolButton {
                visible: bubble.fromUser
                enabled: !bubble.chat.generating
                text: bubble.editing ? qsTr("Cancel") : qsTr("Edit")
                onClicked: bubble.editing = !bubble.editing
                Accessible.name: bubble.editing ? qsTr("Cancel editing") : qsTr("Edit message")
            }
            ToolButton {
                text: qsTr("Copy")
                onClicked: bubble.chat.copyText(bubble.text)
                Accessible.name: qsTr("Copy message")
            }
        }

        Button {
            id: thinkingToggle
            visible: bubble.thinking !== ""
            flat: true
            checkable: true
            text: (checked ? qsTr("Hide thinking") : qsTr("Show thinking"))
                  + (bubble.thinkingSeconds > 0 ? qsTr(" (thought for %1 s)").arg(bubble.thinkingSeconds.toFixed(1)) : "")
            Accessible.name: text
        }
        Loader {
            Layout.fillWidth: true
            active: thinkingToggle.checked && bubble.thinking !== ""
            sourceComponent: Label {
                text: bubble.thinking
                wrapMode: Text.Wrap
                color: bubble.theme.mutedText
                font.italic: true
            }
        }

        Loader {
            Layout.fillWidth: true
            active: bubble.editing
            sourceComponent: ColumnLayout {
                TextArea {
                    id: editor
                    Layout.fillWidth: true
                    text: bubble.text
                    wrapMode: TextEdit.Wrap
                    Accessible.name: qsTr("Edited message")
                    Component.onCompleted: forceActiveFocus()
                }
                Button {
                    text: qsTr("Save and resend")
                    onClicked: if (bubble.chat.editAndResend(bubble.messageId, editor.text)) bubble.editing = false
                    Accessible.name: text
                }
            }
        }

        // The pictures, before the text as the model saw them. A broken or
        // missing file shows a placeholder; a click shows the picture larger.
        Flow {
            Layout.fillWidth: true
            visible: bubble.images.length > 0
            spacing: bubble.theme.spacing / 2
            Repeater {
                model: bubble.images
                delegate: AbstractButton {
                    id: pictureButton
                    required property var modelData
                    required property int index
                    objectName: "messagePicture-" + index
                    width: 120
                    height: 120
                    onClicked: bubble.showImage(modelData.source, modelData.name)
                    Accessible.role: Accessible.Button
                    Accessible.name: qsTr("Picture %1: show it larger").arg(modelData.name)
                    ToolTip.visible: hovered
                    ToolTip.text: modelData.name
                    background: Rectangle {
                        radius: bubble.theme.radius / 2
                        color: bubble.theme.surface
                        border.color: pictureButton.activeFocus ? bubble.theme.accent : bubble.theme.mutedText
                    }
                    contentItem: Item {
                        clip: true
                        Image {
                            id: thumbnail
                            objectName: "messagePictureImage"
                            anchors.fill: parent
                            anchors.margins: 1
                            source: pictureButton.modelData.source
                            sourceSize.width: 240
                            sourceSize.height: 240
                            fillMode: Image.PreserveAspectCrop
                            asynchronous: true
                        }
                        Label {
                            anchors.fill: parent
                            anchors.margins: 4
                            visible: thumbnail.status === Image.Error || thumbnail.status === Image.Null
                            text: qsTr("Picture missing")
                            wrapMode: Text.Wrap
                            horizontalAlignment: Text.AlignHCenter
                            verticalAlignment: Text.AlignVCenter
                            color: bubble.theme.mutedText
                            font.pixelSize: bubble.theme.bodySize - 2
                        }
                    }
                }
            }
        }

        // Prose as Markdown; fenced code with its language, a copy button and
        // colors. A plain Column: the blocks are rebuilt as a reply streams,
        // which Qt 6.4's layouts do not survive inside a Repeater.
        Column {
            id: blocksColumn
            Layout.fillWidth: true
            visible: !bubble.editing
            spacing: bubble.theme.spacing / 2
            Repeater {
                model: bubble.blocks
                delegate: Loader {
                    required property var modelData
                    property var block: modelData
                    width: blocksColumn.width
                    sourceComponent: modelData.code ? codeBlock : proseBlock
                }
            }
        }

        SourcesPanel {
            Layout.fillWidth: true
            objectName: "sourcesPanel"
            visible: !bubble.fromUser && bubble.sources.length > 0
            theme: bubble.theme
            sources: bubble.sources
            onOpenSource: (number) => bubble.chat.openSource(bubble.messageId, number)
        }
    }

    Component {
        id: proseBlock
        TextEdit {
            id: prose
            readonly property var block: parent ? parent.block : null
            text: block ? block.text : ""
            readOnly: true
            selectByMouse: true
            wrapMode: TextEdit.Wrap
            textFormat: TextEdit.MarkdownText
            color: bubble.theme.text
            font.pixelSize: bubble.theme.bodySize
            onLinkActivated: (link) => bubble.chat.activateLink(bubble.messageId, link)
            CitationChips {
                document: prose.textDocument
                color: bubble.theme.accent
            }
        }
    }

    Component {
        id: codeBlock
        Rectangle {
            id: codeBox
            readonly property var block: parent ? parent.block : null
            height: codeHeader.height + codeEdit.height + 1.5 * bubble.theme.spacing
            radius: bubble.theme.radius / 2
            color: bubble.theme.dark ? "#16171a" : "#f1f3f5"
            Item {
                id: codeHeader
                x: bubble.theme.spacing / 2
                y: bubble.theme.spacing / 2
                width: parent.width - bubble.theme.spacing
                height: copyCode.implicitHeight
                Label {
                    anchors.verticalCenter: parent.verticalCenter
                    text: codeBox.block && codeBox.block.language !== "" ? codeBox.block.language : qsTr("code")
                    color: bubble.theme.mutedText
                    font.pixelSize: bubble.theme.bodySize - 2
                }
                ToolButton {
                    id: copyCode
                    anchors.right: parent.right
                    text: qsTr("Copy code")
                    onClicked: bubble.chat.copyText(codeBox.block.text)
                    Accessible.name: text
                }
            }
            TextEdit {
                id: codeEdit
                x: bubble.theme.spacing / 2
                y: codeHeader.y + codeHeader.height
                width: parent.width - bubble.theme.spacing
                text: codeBox.block ? codeBox.block.text : ""
                readOnly: true
                selectByMouse: true
                wrapMode: TextEdit.WrapAnywhere
                textFormat: TextEdit.PlainText
                color: bubble.theme.text
                font.family: bubble.theme.monoFamily
                font.pixelSize: bubble.theme.bodySize - 1
                CodeHighlighter {
                    document: codeEdit.textDocument
                    language: codeBox.block ? codeBox.block.language : ""
                    dark: bubble.theme.dark
                }
            }
        }
    }
}
